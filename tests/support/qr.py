"""A small QR code reader for the tests: reads the dark modules back from an inline SVG (the paths that
segno draws: horizontal runs of modules) and decodes a version 1 code, alphanumeric or byte mode,
independently of the generator (format information, mask, zigzag placement, mode, count, data)."""
import re

_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_MASKS = [
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
]


def modules_from_svg(svg: str, border: int) -> list[list[bool]]:
    """The matrix of dark modules (rows of booleans) drawn by the SVG's path, quiet zone removed."""
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    size = width // scale - 2 * border
    path = re.search(r' d="([^"]+)"', svg).group(1)
    matrix = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHhVv])([-\d. ]+)", path.replace(",", " ")):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command in "hH":
            end = x + values[0] if command == "h" else values[0]
            for column in range(int(x), int(end)):
                matrix[int(y) - border][column - border] = True
            x = end
        else:
            raise AssertionError(f"unexpected path command {command}")
    return matrix


def _format_bits(level_bits: int, mask: int) -> int:
    data = (level_bits << 3) | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return ((data << 10) | remainder) ^ 0x5412


def _is_function(x: int, y: int, size: int) -> bool:
    return (x <= 8 and y <= 8) or (x >= size - 8 and y <= 8) or (x <= 8 and y >= size - 8) or x == 6 or y == 6


def decode(matrix: list[list[bool]]) -> str:
    size = len(matrix)
    assert size == 21, "this reader knows version 1 only"
    dark = lambda x, y: matrix[y][x]
    read = sum(dark(8, i) << i for i in range(6)) | dark(8, 7) << 6 | dark(8, 8) << 7 | dark(7, 8) << 8
    read |= sum(dark(14 - i, 8) << i for i in range(9, 15))
    candidates = [((_format_bits(level, mask) ^ read).bit_count(), mask) for level in range(4) for mask in range(8)]
    distance, mask = min(candidates)
    assert distance <= 3, "no format information"
    bits = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        for vertical in range(size):
            for j in range(2):
                x = right - j
                upward = ((right + 1) & 2) == 0
                y = size - 1 - vertical if upward else vertical
                if not _is_function(x, y, size):
                    bits.append(int(dark(x, y) != _MASKS[mask](x, y)))
        right -= 2
    position = 0

    def take(n: int) -> int:
        nonlocal position
        value = int("".join(map(str, bits[position:position + n])), 2)
        position += n
        return value

    mode = take(4)
    if mode == 0b0010:
        count, text = take(9), ""
        while count >= 2:
            pair = take(11)
            text += _ALPHANUMERIC[pair // 45] + _ALPHANUMERIC[pair % 45]
            count -= 2
        if count:
            text += _ALPHANUMERIC[take(6)]
        return text
    if mode == 0b0100:
        return bytes(take(8) for _ in range(take(8))).decode("utf-8")
    raise AssertionError(f"mode {mode:04b} not read here")
