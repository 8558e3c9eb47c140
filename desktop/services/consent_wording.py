"""A consent template written back as the TOML an administrator edits: the file format of
resources/consents/README.md without id, version and effective_on (the dialog's own fields)."""

import json

from desktop.documents.data import ConsentTemplate, TemplateSection


def wording_toml(template: ConsentTemplate) -> str:
    """Round-trips: parsing the result with the template's id, version and date gives back
    an equal template."""
    lines = [
        f"title = {_line(template.title)}",
        f"applies_to = {_line(template.applies_to.value)}",
        f"intro = {_block(template.intro)}",
        f"signers = [{', '.join(_line(role.value) for role in template.signers)}]",
        "statements = [",
        *(f"  {_block(statement)},\n" for statement in template.statements),
        "]",
    ]
    for section in template.sections:
        lines += ["", *_section(section)]
    return "\n".join(lines) + "\n"


def _section(section: TemplateSection) -> list[str]:
    lines = ["[[sections]]", f"heading = {_line(section.heading)}"]
    if section.text:
        lines.append(f"text = {_block(section.text)}")
    if section.items:
        lines += ["items = [", *(f"  {_line(item)}," for item in section.items), "]"]
    return lines


def _line(text: str) -> str:
    """A TOML basic string: JSON's escapes are all valid TOML escapes; DEL is not allowed raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _block(text: str) -> str:
    """A multi-line basic string, one paragraph per line, easy to edit; the parser strips the
    line breaks around it."""
    escaped = "".join(_escape(character) for character in text)
    return f'"""\n{escaped}\n"""'


def _escape(character: str) -> str:
    if character in '\\"':
        return "\\" + character
    if character in "\n\t":
        return character
    if ord(character) < 0x20 or character == "\x7f":
        return f"\\u{ord(character):04x}"
    return character
