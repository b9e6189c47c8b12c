def register_sections() -> None:
    pass
