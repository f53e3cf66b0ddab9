"""Site-wide pages: privacy notice, accessibility statement, the language switcher."""


def init_app(app) -> None:
    from .views import bp
    app.register_blueprint(bp)
