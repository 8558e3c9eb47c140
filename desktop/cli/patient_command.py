"""`isotrack patient add`: register a patient from the command line (audited)."""

import argparse
import json
from datetime import date

from desktop.cli.session import add_user_option, signed_in
from desktop.rules.patients import PatientDraft, RiskCategory, SexAtBirth
from desktop.services.errors import InputError
from desktop.services.patients import register_patient

CATEGORY_CHOICES: dict[str, RiskCategory | None] = {
    "yes": RiskCategory.CAN_GET_PREGNANT,
    "no": RiskCategory.CANNOT_GET_PREGNANT,
    "not-yet-assigned": None,
}
"""--can-get-pregnant: the category is asked for every time (DESIGN.md), so that leaving
it unassigned is a choice someone made, as it is in the app's form."""


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("patient", help="patients")
    actions = parser.add_subparsers(dest="patient_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="register a patient")
    add.add_argument("--mrn", required=True)
    add.add_argument("--name", required=True, help="legal name")
    add.add_argument("--preferred-name", default="")
    add.add_argument("--birth-date", required=True, metavar="YYYY-MM-DD")
    add.add_argument("--sex-at-birth", required=True, choices=[s.value for s in SexAtBirth])
    add.add_argument(
        "--can-get-pregnant",
        choices=list(CATEGORY_CHOICES),
        help="required: the iPLEDGE risk category the prescriber assigned "
        "(not-yet-assigned until they have)",
    )
    add.add_argument("--ipledge-id", default="")
    add.add_argument("--phone", default="")
    add.add_argument("--email", default="")
    add.add_argument("--allergies", default="")
    add.add_argument("--retinoid-allergy", action="store_true")
    add.add_argument("--pregnant-or-breastfeeding", action="store_true")
    add.add_argument("--guardian", default="", metavar="NAME")
    add.add_argument("--guardian-relationship", default="", metavar="REL")
    add.add_argument("--json", action="store_true", help="print the saved patient as JSON")
    add_user_option(add)
    add.set_defaults(handler=_add)


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option}: write the date as YYYY-MM-DD, for example 2007-05-14."
        ) from None


def _draft(args: argparse.Namespace) -> PatientDraft:
    if args.can_get_pregnant is None:
        raise InputError(
            "--can-get-pregnant is required: yes or no, the iPLEDGE risk category the "
            "prescriber assigned (not-yet-assigned if they have not yet). Nothing was saved."
        )
    category = CATEGORY_CHOICES[args.can_get_pregnant]
    return PatientDraft(
        mrn=args.mrn,
        legal_name=args.name,
        preferred_name=args.preferred_name,
        birth_date=_parse_date(args.birth_date, "--birth-date"),
        sex_at_birth=SexAtBirth(args.sex_at_birth),
        risk_category=category,
        ipledge_patient_id=args.ipledge_id,
        phone=args.phone,
        email=args.email,
        allergies=args.allergies,
        has_retinoid_allergy=args.retinoid_allergy,
        is_pregnant_or_breastfeeding=args.pregnant_or_breastfeeding,
        guardian_name=args.guardian,
        guardian_relationship=args.guardian_relationship,
    )


def _add(args: argparse.Namespace) -> int:
    draft = _draft(args)
    ctx = signed_in(args)
    try:
        record = register_patient(ctx, draft)
    finally:
        ctx.clinic.close()
    if args.json:
        print(
            json.dumps(
                {
                    "schema": "isotrack.patient/1",
                    "id": record.id,
                    "mrn": record.mrn,
                    "legal_name": record.legal_name,
                    "birth_date": record.birth_date.isoformat(),
                    "risk_category": record.risk_category.value if record.risk_category else None,
                    "version": record.version,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"Registered patient {record.mrn}.")
    return 0
