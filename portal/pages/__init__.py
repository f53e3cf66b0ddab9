"""Site-wide pages and behaviour: privacy notice, accessibility statement, language, errors."""
