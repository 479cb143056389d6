"""The first frame: no text at all, so Flutter web never fetches fallback fonts (DESIGN.md §5)."""

import flet as ft


def splash_view() -> ft.View:
    return ft.View(
        route="/",
        controls=[
            ft.Container(content=ft.ProgressRing(), alignment=ft.Alignment.CENTER, expand=True)
        ],
    )
