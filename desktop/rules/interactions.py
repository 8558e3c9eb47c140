"""Medication, supplement and patient-state cautions for isotretinoin (domain.md §6, §1.5)."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.rules.dosing import Severity
from desktop.rules.formulary import Product


class CautionCode(StrEnum):
    PREGNANCY = "pregnancy"
    BREASTFEEDING = "breastfeeding"
    RETINOID_ALLERGY = "retinoid_allergy"
    TETRACYCLINE = "tetracycline"
    VITAMIN_A = "vitamin_a"
    MULTIVITAMIN = "multivitamin"
    PROGESTIN_ONLY_PILL = "progestin_only_pill"
    ST_JOHNS_WORT = "st_johns_wort"
    BONE_LOSS = "bone_loss"
    EXCIPIENT = "excipient"


@dataclass(frozen=True, slots=True)
class PatientFlags:
    """What the chart says about the patient, beside the medication list."""

    can_get_pregnant: bool = False
    is_pregnant: bool = False
    is_breastfeeding: bool = False
    has_retinoid_allergy: bool = False  # isotretinoin, other retinoids or vitamin A
    has_tartrazine_sensitivity: bool = False
    has_soy_or_paraben_allergy: bool = False


@dataclass(frozen=True, slots=True)
class Caution:
    code: CautionCode
    severity: Severity
    message: str
    medication: str | None = None  # the list entry that matched, as typed


@dataclass(frozen=True, slots=True)
class MedicationClass:
    """Names (generic and common US brands [M]) matched as whole words in a list entry;
    `unless` words make an entry not match (e.g. a combined pill names an estrogen)."""

    code: CautionCode
    severity: Severity
    names: tuple[str, ...]
    message: str  # "{medication}" is replaced by the entry as typed
    needs_pregnancy_potential: bool = False
    unless: tuple[str, ...] = ()


MEDICATION_CLASSES: tuple[MedicationClass, ...] = (
    MedicationClass(
        CautionCode.TETRACYCLINE,
        Severity.WARNING,
        (
            "doxycycline",
            "minocycline",
            "tetracycline",
            "demeclocycline",
            "sarecycline",
            "omadacycline",
            "vibramycin",
            "doryx",
            "acticlate",
            "oracea",
            "targadox",
            "minocin",
            "solodyn",
            "minolira",
            "ximino",
            "seysara",
            "amzeeq",
        ),
        "{medication} is a tetracycline: with isotretinoin it risks intracranial hypertension "
        "(pseudotumor cerebri). The prescriber must stop one before the next prescription.",
    ),  # domain.md §6 Tetracyclines; flag any on the list [P]
    MedicationClass(
        CautionCode.VITAMIN_A,
        Severity.WARNING,
        (
            "vitamin a",
            "retinol",
            "retinyl palmitate",
            "retinyl acetate",
            "cod liver oil",
            "fish liver oil",
        ),
        "{medication} contains vitamin A, which adds to isotretinoin's toxicity: ask the "
        "patient to stop it during treatment and tell the prescriber.",
    ),  # domain.md §6 Vitamin A supplements
    MedicationClass(
        CautionCode.MULTIVITAMIN,
        Severity.INFO,
        ("multivitamin", "multi vitamin", "multivitamins", "prenatal vitamin", "prenatal vitamins"),
        "{medication} may contain vitamin A: check the label with the patient.",
    ),  # domain.md §6 Vitamin A; multivitamin check is policy [P]
    MedicationClass(
        CautionCode.PROGESTIN_ONLY_PILL,
        Severity.WARNING,
        (
            "minipill",
            "mini pill",
            "progestin only pill",
            "progestogen only pill",
            "pop",
            "norethindrone",
            "camila",
            "errin",
            "heather",
            "jencycla",
            "nora be",
            "micronor",
            "slynd",
            "opill",
            "norgestrel",
        ),
        "{medication} looks like a progestin-only pill, which is not an acceptable form of "
        "contraception with isotretinoin: review the two chosen methods before the next "
        "prescription.",
        needs_pregnancy_potential=True,
        unless=("ethinyl", "estradiol", "mestranol"),
    ),  # domain.md §1.5, §6; implants and injections are acceptable and are not matched
    MedicationClass(
        CautionCode.ST_JOHNS_WORT,
        Severity.WARNING,
        ("st johns wort", "saint johns wort", "hypericum"),
        "{medication} may make hormonal contraception fail: ask the patient to stop it or "
        "make sure neither chosen method is hormonal.",
        needs_pregnancy_potential=True,
    ),  # domain.md §1.5, §6
    MedicationClass(
        CautionCode.BONE_LOSS,
        Severity.CAUTION,
        (
            "prednisone",
            "prednisolone",
            "methylprednisolone",
            "dexamethasone",
            "hydrocortisone",
            "cortisone",
            "deflazacort",
            "phenytoin",
            "fosphenytoin",
            "dilantin",
            "carbamazepine",
            "oxcarbazepine",
            "phenobarbital",
            "primidone",
            "valproate",
            "valproic acid",
            "divalproex",
            "lamotrigine",
            "levetiracetam",
            "topiramate",
        ),
        "{medication} (corticosteroid or anticonvulsant) adds to bone-loss risk with "
        "isotretinoin: make sure the prescriber knows and discuss bone health.",
    ),  # domain.md §6 Corticosteroids / phenytoin / anticonvulsants
)


def medication_cautions(
    medications: Sequence[str],
    flags: PatientFlags,
    *,
    product: Product | None = None,
    capsules_mg: Iterable[int] = (),
) -> tuple[Caution, ...]:
    """Every caution for this patient, most severe first. `medications` is the free-text
    list (medicines and supplements); `product`/`capsules_mg` the planned regimen, if any."""
    found = [*_state_cautions(flags)]
    for entry in medications:
        words = _normalize(entry)
        found += [
            Caution(k.code, k.severity, k.message.format(medication=entry.strip()), entry)
            for k in MEDICATION_CLASSES
            if _matches(k, words) and (flags.can_get_pregnant or not k.needs_pregnancy_potential)
        ]
    if product is not None:
        found += _excipient_cautions(product, frozenset(capsules_mg), flags)
    rank = list(Severity)
    return tuple(sorted(found, key=lambda c: -rank.index(c.severity)))


def has_hard_stop(cautions: Iterable[Caution]) -> bool:
    return any(c.severity is Severity.STOP for c in cautions)


def _state_cautions(flags: PatientFlags) -> Iterable[Caution]:
    """Hard stops (domain.md §1.7: pregnancy, breastfeeding; §6/label: retinoid allergy)."""
    if flags.is_pregnant:
        yield Caution(
            CautionCode.PREGNANCY,
            Severity.STOP,
            "Pregnant: do not prescribe or dispense isotretinoin. A patient already taking it "
            "stops at once; the prescriber refers to an obstetrician and reports to the iPLEDGE "
            "pregnancy registry.",
        )
    if flags.is_breastfeeding:
        yield Caution(
            CautionCode.BREASTFEEDING,
            Severity.STOP,
            "Breastfeeding: no isotretinoin while breastfeeding, and no breastfeeding until "
            "1 month after the last dose; the prescriber must review before any prescription.",
        )
    if flags.has_retinoid_allergy:
        yield Caution(
            CautionCode.RETINOID_ALLERGY,
            Severity.STOP,
            "Allergy to retinoids or vitamin A recorded: do not prescribe isotretinoin; the "
            "prescriber must review.",
        )


def _excipient_cautions(
    product: Product, capsules: frozenset[int], flags: PatientFlags
) -> Iterable[Caution]:
    """Excipients of the chosen product against the patient's sensitivities (domain.md §2.2)."""
    for excipient in product.excipients:
        sensitive = (flags.has_tartrazine_sensitivity and "tartrazine" in excipient.name) or (
            flags.has_soy_or_paraben_allergy
            and ("soy" in excipient.name or "paraben" in excipient.name)
        )
        if not sensitive:
            continue
        yield _excipient_caution(product, excipient.name, excipient.strengths_mg, capsules)


def _excipient_caution(
    product: Product, name: str, strengths: frozenset[int], capsules: frozenset[int]
) -> Caution:
    if not strengths:
        advice, severity = (
            f"it is in every {product.display_name} capsule; choose another product.",
            Severity.WARNING,
        )
    elif strengths & capsules:
        advice, severity = (
            f"it is in the {_mg_list(strengths)} capsule of this regimen; "
            "choose another regimen or product.",
            Severity.WARNING,
        )
    else:
        advice, severity = (
            f"do not use the {product.display_name} {_mg_list(strengths)} capsule.",
            Severity.CAUTION,
        )
    return Caution(CautionCode.EXCIPIENT, severity, f"The patient is sensitive to {name}: {advice}")


def _mg_list(strengths: frozenset[int]) -> str:
    return " / ".join(f"{s} mg" for s in sorted(strengths))


def _matches(medication_class: MedicationClass, words: str) -> bool:
    if any(_has_phrase(words, u) for u in medication_class.unless):
        return False
    return any(_has_phrase(words, name) for name in medication_class.names)


def _has_phrase(words: str, phrase: str) -> bool:
    return f" {phrase} " in f" {words} "


def _normalize(text: str) -> str:
    """Lower case; apostrophes and dots dropped ("St. John's" → "st johns"); every other
    non-alphanumeric run becomes one space, so names match as whole words."""
    dropped = re.sub(r"['’.]", "", text.lower())
    return " ".join(re.sub(r"[^0-9a-z]+", " ", dropped).split())
