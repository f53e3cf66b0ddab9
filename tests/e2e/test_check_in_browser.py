"""The day itself in a real browser (issue 11, items 3 and 4): the check-in screen by keyboard only in
French and Arabic (search as you type, one tap, the count announced), the same without JavaScript,
badges and attendance sheets printed to PDF by Chromium; axe on every page."""
import io

from pdfminer.high_level import extract_text
from playwright.sync_api import expect

from tests.support.browser import assert_accessible
from tests.support.data import make_registrations, registrations
from tests.support.pages import expect_language, settled_on_main, tab_to, use_language
from tests.support.web import nfkc

SLUG = "oriental"


def _people(app, events):
    return make_registrations(app, events[SLUG], 3, status="approved",
                              first_name=lambda i: ["Amina", "Omar", "Salma"][i],
                              last_name=lambda i: ["Alaoui", "Bennani", "Chraibi"][i],
                              organization=lambda i: ["Association Tawasol", "Réseau Amal", "Jeunes du Rif"][i],
                              access_needs=lambda i: ["wheelchair"] if i == 0 else [],
                              access_needs_details=lambda i: "Fauteuil roulant" if i == 0 else "")


def test_check_in_by_keyboard_in_both_languages(page, context, app, auth, events, live_server):
    ids = _people(app, events)
    event_id = events[SLUG]
    auth.sign_in("coordinator", SLUG, page=page, keyboard=True)
    page.goto(f"/review/events/{event_id}/check-in")
    expect(page.locator("#attendance-count")).to_contain_text("Présents : 0 / 3 approuvés")
    assert_accessible(page, "check-in screen")

    # Search as you type, by keyboard: the results follow the letters typed.
    tab_to(page, "#checkin-q")
    page.keyboard.type("benn")
    rows = page.locator("#checkin-results li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("BENNANI")
    tab_to(page, f"#row-{ids[1]} button")
    page.keyboard.press("Enter")
    expect(page.locator("#checkin-announce")).to_contain_text("Omar Bennani : présence enregistrée. Présents : 1 / 3")
    expect(page.locator("#attendance-count")).to_contain_text("Présents : 1 / 3 approuvés")
    undo = page.locator(f"#row-{ids[1]} button")
    expect(undo).to_contain_text("Annuler la présence")
    expect(undo).to_be_focused()  # the keyboard stays on the person's row
    assert_accessible(page, "check-in screen after a tap")
    page.keyboard.press("Enter")  # undo
    expect(page.locator("#checkin-announce")).to_contain_text("présence annulée. Présents : 0 / 3")
    again = page.locator(f"#row-{ids[1]} button")
    expect(again).to_contain_text("Présent(e)")
    expect(again).to_be_focused()  # once the row has settled, the keyboard is back on it
    page.keyboard.press("Enter")  # and present again
    expect(page.locator("#attendance-count")).to_contain_text("Présents : 1 / 3 approuvés")

    # A reference typed (or read from a badge by the camera where the browser allows it).
    reference = registrations(app, id=ids[2])[0].reference
    page.locator("#checkin-q").fill("")
    tab_to(page, "#checkin-q", backwards=True)
    page.keyboard.type(reference)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("CHRAIBI")

    use_language(context, live_server, "ar")
    page.goto(f"/review/events/{event_id}/check-in")
    expect_language(page, "ar")
    expect(page.locator("h1")).to_contain_text("الاستقبال والحضور")
    assert_accessible(page, "check-in screen in Arabic")
    tab_to(page, f"#row-{ids[0]} button")
    page.keyboard.press("Enter")
    expect(page.locator("#attendance-count")).to_contain_text("الحاضرون: 2 من أصل 3")
    assert {r.id for r in registrations(app, event_id=event_id) if r.checked_in_at} == {ids[0], ids[1]}
    # The dashboard's attendance rates by profile, in Arabic then in French.
    page.goto("/review/")
    expect(page.locator("table", has=page.locator("caption", has_text="نسبة الحضور"))).to_be_visible()
    assert_accessible(page, "dashboard with attendance rates in Arabic")
    use_language(context, live_server, "fr")
    page.goto("/review/")
    expect(page.get_by_text("Présents : 2 / 3 approuvés (67 %)")).to_be_visible()
    assert_accessible(page, "dashboard with attendance rates")


def test_check_in_without_javascript(no_js_page, app, auth, events):
    page = no_js_page
    ids = _people(app, events)
    event_id = events[SLUG]
    auth.sign_in("coordinator", SLUG, page=page)
    page.goto(f"/review/events/{event_id}/check-in")
    expect(page.locator("#checkin-scan")).to_be_hidden()  # no camera without the script
    page.locator("#checkin-q").fill("alaoui")
    page.get_by_role("button", name="Chercher").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?q=alaoui")
    expect(page.locator("#checkin-results li")).to_have_count(1)
    page.locator(f"#row-{ids[0]} button").click()
    expect(page.locator("#flash")).to_contain_text("Amina Alaoui : présence enregistrée. Présents : 1 / 3 approuvés")
    expect(page.locator("#attendance-count")).to_contain_text("Présents : 1 / 3 approuvés")
    page.locator(f"#row-{ids[0]} button").click()
    expect(page.locator("#flash")).to_contain_text("présence annulée")
    assert not any(r.checked_in_at for r in registrations(app, event_id=event_id))


def test_badges_and_attendance_sheets_print_to_pdf_in_both_languages(page, context, app, auth, events, live_server):
    _people(app, events)
    event_id = events[SLUG]
    auth.sign_in("coordinator", SLUG, page=page)
    references = sorted(r.reference for r in registrations(app, event_id=event_id))
    for lang in ("fr", "ar"):
        use_language(context, live_server, lang)
        page.goto(f"/review/events/{event_id}/badges")
        expect_language(page, lang)
        expect(page.locator(".badge")).to_have_count(3)
        assert_accessible(page, f"badges ({lang})")
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        text = extract_text(io.BytesIO(page.pdf(format="A4")))
        assert "Amina" in text and "Association Tawasol" in text and all(ref in text for ref in references)
        assert "Fauteuil" not in text  # no health data on badges
        page.emulate_media(media="screen")

        page.goto(f"/review/events/{event_id}/attendance-sheet")
        expect_language(page, lang)
        assert_accessible(page, f"attendance sheet ({lang})")
        page.emulate_media(media="print")
        text = extract_text(io.BytesIO(page.pdf(format="A4")))
        assert text.index("ALAOUI") < text.index("BENNANI") < text.index("CHRAIBI")
        # pdfminer gives Arabic in presentation forms, in visual order: normalise, and read either way
        plain = nfkc(text)
        signature = "Signature" if lang == "fr" else "التوقيع"
        assert signature in plain or signature[::-1] in plain
        assert "Tableau de bord" not in text and "Fauteuil" not in text
        page.emulate_media(media="screen")
        workshop = page.locator("nav a").nth(1)
        workshop.click()
        settled_on_main(page)
        assert_accessible(page, f"attendance sheet of a workshop ({lang})")
    use_language(context, live_server, "fr")


# What a phone with a camera and BarcodeDetector gives the page, played in Chromium (which has neither
# on Linux): a camera stream drawn on a canvas, and a detector that "sees" the badge's reference.
FAKE_CAMERA = """
window.__badge = null;
window.BarcodeDetector = class {
  constructor(options) { this.formats = options.formats; }
  detect() { return Promise.resolve(window.__badge ? [{ rawValue: window.__badge, format: "qr_code" }] : []); }
};
navigator.mediaDevices.getUserMedia = () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 48;
  canvas.getContext("2d").fillRect(0, 0, 64, 48);
  return Promise.resolve(canvas.captureStream(5));
};
"""


def test_a_badge_scanned_with_the_camera_finds_the_person(page, app, auth, events):
    ids = _people(app, events)
    event_id = events[SLUG]
    reference = registrations(app, id=ids[1])[0].reference
    page.add_init_script(FAKE_CAMERA)
    auth.sign_in("coordinator", SLUG, page=page)
    page.goto(f"/review/events/{event_id}/check-in")
    scan = page.locator("#checkin-scan")
    expect(scan).to_be_visible()
    scan.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#checkin-video")).to_be_visible()
    expect(scan).to_have_text("Arrêter la caméra")
    page.evaluate("(ref) => { window.__badge = ref; }", reference)
    expect(page.locator("#checkin-q")).to_have_value(reference)
    expect(page.locator("#checkin-video")).to_be_hidden()
    rows = page.locator("#checkin-results li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("BENNANI")
    rows.first.locator("button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#attendance-count")).to_contain_text("Présents : 1 / 3 approuvés")
