"""Login and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..forms import strip_filter

MIN_PASSWORD_LENGTH = 12


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez votre adresse e-mail.")), Length(max=254)])
    password = PasswordField(_l("Mot de passe"),
                             validators=[DataRequired(_l("Saisissez votre mot de passe.")), Length(max=200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez votre adresse e-mail.")), Length(max=254)])


def _strong_enough(form, field):
    if len(field.data or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(_l("Choisissez un mot de passe d'au moins %(n)d caractères.", n=MIN_PASSWORD_LENGTH))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Nouveau mot de passe"), validators=[
        DataRequired(_l("Choisissez un mot de passe.")), Length(max=200), _strong_enough])
    confirm = PasswordField(_l("Confirmez le nouveau mot de passe"), validators=[
        EqualTo("password", _l("Les deux mots de passe ne sont pas identiques."))])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(_l("Saisissez votre mot de passe actuel."))])


class CodeForm(FlaskForm):
    """The second step of signing in: the code of the authenticator app, or a recovery code."""
    code = StringField(_l("Code de vérification"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez le code affiché par votre application.")),
                                   Length(max=40)])


class EnrolForm(FlaskForm):
    code = StringField(_l("Code à 6 chiffres affiché par l'application"), filters=[strip_filter],
                       validators=[DataRequired(_l("Saisissez le code affiché par votre application.")),
                                   Length(max=40)])
