"""Connexion: the sign-in form (components/sign_in.py)."""

from components.sign_in import render

render()
