"""A person's session without a browser: Streamlit's own protocol over its WebSocket, as the page's script speaks it.

A click is what the page's script would send for it — a rerun of the page (or of the part of the page the widget is
in, a fragment) with the widget's new value — and the answer is read until the server says the run is over. The
page's files are fetched on arrival (what a browser asks for first), and the image that gives the browser its
session's cookie (components/session_cookie.py) is asked for, so the server does for such a session what it does
for a browser. What it does not do is draw: twenty of them need no twenty browsers, whose drawing, on the cores of
one machine, delays their clicks and sends them in bursts (docs/performance.md).

Only what bench/load.py's journey needs: open an address, click a button, switch a toggle, choose an option of a
segmented control, open an expander, select a table's row; the widgets are found by the start of their label as
the page drew them (the last one drawn)."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

TEXT_FIELDS = ("markdown", "text", "heading", "alert", "html")
COOKIE_IMAGE = re.compile(r"""src=["']?(_ror/[^"' >]+)""")
ASSETS = re.compile(r"""(?:src|href)=["']?([^"' >]+\.(?:js|css))(?=["' >])""")


@dataclass
class Widget:
    id: str
    fragment_id: str  # "" outside a fragment


class ProtocolError(RuntimeError):
    """What a click needs is not in the page (a widget, an expander, a table); an error the page shows is counted in
    `Session.errors` instead."""


class Session:
    """One person's session of the app at `url` (http://host:port)."""

    def __init__(self, url: str, timeout_s: float) -> None:
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self.widgets: dict[str, Widget] = {}  # label -> the last widget drawn with it
        self.expanders: list[Widget] = []  # the expanders of the last run that drew any, in order
        self.tables: list[Widget] = []  # the tables one may select a row of, likewise
        self.texts: list[str] = []  # what the last action's run(s) wrote
        self.errors: list[str] = []  # exceptions drawn since the session opened
        self._values: dict[str, bool] = {}  # the toggles' positions
        self._socket = None
        self._page_hash = ""
        self._query = ""

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *_) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def fetch_page_files(self) -> None:
        """What a browser fetches first: the page and the scripts and styles it names."""
        page = await self._get(self.url + "/")
        for asset in dict.fromkeys(ASSETS.findall(page)):
            await self._get(urljoin(self.url + "/", asset))

    async def open(self, address: str) -> None:
        """Open `address` (a page's path and its query, as in a shared link)."""
        host = urlsplit(self.url).netloc
        self._socket = await websockets.connect(
            f"ws://{host}/_stcore/stream", subprotocols=["streamlit"], origin=self.url, max_size=None
        )
        path, _, self._query = address.partition("?")
        await self._rerun(page_name=path.strip("/"))

    async def click(self, label: str) -> None:
        await self._rerun(self._widget(label), trigger_value=True)

    async def switch(self, label: str) -> None:
        """Switch a toggle (or tick a box) to its other position."""
        widget = self._widget(label)
        await self._rerun(widget, bool_value=not self._values.get(widget.id, False))

    async def choose(self, label: str, option: str) -> None:
        """Choose `option` (as shown) in a segmented control or pills."""
        await self._rerun(self._widget(label), string_array_value={"data": [option]})

    async def expand_first(self) -> None:
        """Open the first expander of the page (one that reruns when opened)."""
        if not self.expanders:
            raise ProtocolError("aucune section dépliable dans la page")
        await self._rerun(self.expanders[0], bool_value=True)

    async def select_first_row(self) -> None:
        """Select the first row of the last table one may select rows of."""
        if not self.tables:
            raise ProtocolError("aucun tableau sélectionnable dans la page")
        selection = {"selection": {"rows": [0], "columns": [], "cells": []}}
        await self._rerun(self.tables[-1], string_value=json.dumps(selection))

    def shows(self, text: str) -> bool:
        """Whether the last action's run(s) wrote `text`."""
        return any(text in written for written in self.texts)

    # the protocol

    def _widget(self, label: str) -> Widget:
        """The widget last drawn whose label starts with `label` (a label may end with a count that changes)."""
        found = [widget for shown, widget in self.widgets.items() if shown.startswith(label)]
        if not found:
            raise ProtocolError(f"pas de « {label} » dans la page")
        return found[-1]

    async def _rerun(self, widget: Widget | None = None, page_name: str = "", **value) -> None:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self._query
        state.page_script_hash = self._page_hash
        state.page_name = page_name
        if widget is not None:
            changed = state.widget_states.widgets.add()
            changed.CopyFrom(WidgetState(id=widget.id, **value))
            state.fragment_id = widget.fragment_id
            if "bool_value" in value:
                self._values[widget.id] = value["bool_value"]
        self.texts = []
        await self._socket.send(message.SerializeToString())
        await asyncio.wait_for(self._until_done(), self.timeout_s)

    async def _until_done(self) -> None:
        """Read the server's messages until the run asked for (and any it asks for in turn) is over."""
        started = rerun_follows = False
        expanders: list[Widget] = []
        tables: list[Widget] = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._socket.recv())
            kind = message.WhichOneof("type")
            if kind == "script_finished":  # a run that asked for another (st.rerun: the page's data changed…)
                rerun_follows = message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN
            elif kind == "session_status_changed":
                if message.session_status_changed.script_is_running:
                    started = True
                elif started and not rerun_follows:
                    break
            elif kind == "delta":
                await self._read_delta(message.delta, expanders, tables)
            elif kind == "navigation" and message.navigation.page_script_hash:
                self._page_hash = message.navigation.page_script_hash
            elif kind == "new_session" and message.new_session.page_script_hash:
                self._page_hash = message.new_session.page_script_hash
            elif kind == "page_info_changed":
                self._query = message.page_info_changed.query_string
        if expanders:
            self.expanders = expanders
        if tables:
            self.tables = tables

    async def _read_delta(self, delta, expanders: list[Widget], tables: list[Widget]) -> None:
        fragment = delta.fragment_id
        if delta.WhichOneof("type") == "add_block":
            block = delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                expanders.append(Widget(block.expandable.id, fragment))
            return
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"{element.exception.type} : {element.exception.message[:200]}")
        elif kind in TEXT_FIELDS:
            body = getattr(element, kind).body
            self.texts.append(body)
            for image in COOKIE_IMAGE.findall(body):  # the browser's cookie (components/session_cookie.py)
                await self._get(f"{self.url}/{image}")
        elif kind == "dataframe" and element.dataframe.id:
            tables.append(Widget(element.dataframe.id, fragment))
        elif kind in ("button", "checkbox", "button_group"):
            widget = getattr(element, kind)
            self.widgets.pop(widget.label, None)  # the last drawn comes last
            self.widgets[widget.label] = Widget(widget.id, fragment)
            if kind == "checkbox" and widget.set_value:  # set by the page, else the position it was left in
                self._values[widget.id] = widget.value
            elif kind == "checkbox":
                self._values.setdefault(widget.id, widget.default)

    async def _get(self, url: str) -> str:
        def get() -> str:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:
                return response.read().decode("utf-8", errors="replace")

        return await asyncio.to_thread(get)
