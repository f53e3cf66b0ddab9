"""The one blueprint of the organisers' workspace; each module of the package adds its routes."""
from flask import Blueprint

bp = Blueprint("organizing", __name__, url_prefix="/organizing")
