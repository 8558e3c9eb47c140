"""Medication, supplement and patient-state cautions (domain.md §6, §1.5, §1.7, §2.2)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.dosing import Severity
from desktop.rules.formulary import Excipient, FoodRequirement, Product
from desktop.rules.interactions import (
    MEDICATION_CLASSES,
    CautionCode,
    PatientFlags,
    has_hard_stop,
    medication_cautions,
)

PCGP = PatientFlags(can_get_pregnant=True)
PCNGP = PatientFlags(can_get_pregnant=False)

ABSORICA = Product(
    "absorica",
    "Absorica",
    (10, 20, 25, 30, 35, 40),
    FoodRequirement.WITH_OR_WITHOUT_MEAL,
    Decimal("0.5"),
    Decimal("1.0"),
    Decimal("2.0"),
    excipients=(Excipient("tartrazine", "note", frozenset({25})),),
)
ZENATANE = Product(
    "zenatane",
    "Zenatane",
    (10, 20, 30, 40),
    FoodRequirement.WITH_MEAL,
    Decimal("0.5"),
    Decimal("1.0"),
    Decimal("2.0"),
    excipients=(Excipient("soybean oil and parabens", "note"),),
)


def codes(medications: list[str], flags: PatientFlags = PCGP) -> list[CautionCode]:
    return [c.code for c in medication_cautions(medications, flags)]


@pytest.mark.parametrize(
    ("entry", "flags", "expected"),
    [
        pytest.param("Doxycycline 100 mg BID", PCNGP, [CautionCode.TETRACYCLINE], id="§6-doxy"),
        pytest.param("minocycline ER", PCNGP, [CautionCode.TETRACYCLINE], id="§6-mino"),
        pytest.param("TETRACYCLINE", PCNGP, [CautionCode.TETRACYCLINE], id="§6-tetra-caps"),
        pytest.param("Solodyn 105mg", PCNGP, [CautionCode.TETRACYCLINE], id="§6-brand"),
        pytest.param("Sarecycline", PCNGP, [CautionCode.TETRACYCLINE], id="§6-sarecycline"),
        pytest.param("Vitamin A 10,000 IU", PCNGP, [CautionCode.VITAMIN_A], id="§6-vitamin-a"),
        pytest.param("cod liver oil", PCNGP, [CautionCode.VITAMIN_A], id="§6-cod-liver-oil"),
        pytest.param("daily multivitamin", PCNGP, [CautionCode.MULTIVITAMIN], id="§6-multi"),
        pytest.param(
            "St. John's Wort", PCGP, [CautionCode.ST_JOHNS_WORT], id="§1.5-st-johns-wort-pcgp"
        ),
        pytest.param("St John’s wort 300mg", PCGP, [CautionCode.ST_JOHNS_WORT], id="§1.5-curly"),
        pytest.param("St. John's Wort", PCNGP, [], id="§1.5-st-johns-wort-pcngp-no-contraception"),
        pytest.param(
            "norethindrone 0.35 mg", PCGP, [CautionCode.PROGESTIN_ONLY_PILL], id="§1.5-minipill"
        ),
        pytest.param("Camila", PCGP, [CautionCode.PROGESTIN_ONLY_PILL], id="§1.5-pop-brand"),
        pytest.param(
            "norethindrone / ethinyl estradiol", PCGP, [], id="§1.5-combined-pill-acceptable"
        ),
        pytest.param("Nexplanon implant", PCGP, [], id="§1.5-implant-acceptable"),
        pytest.param("Depo-Provera", PCGP, [], id="§1.5-injection-acceptable"),
        pytest.param("Camila", PCNGP, [], id="§1.5-pop-not-contraception-pcngp"),
        pytest.param("prednisone 10 mg", PCNGP, [CautionCode.BONE_LOSS], id="§6-steroid"),
        pytest.param("Phenytoin", PCNGP, [CautionCode.BONE_LOSS], id="§6-phenytoin"),
        pytest.param("valproic acid", PCNGP, [CautionCode.BONE_LOSS], id="§6-anticonvulsant"),
        pytest.param("ibuprofen", PCGP, [], id="unrelated"),
        pytest.param("tetracyclinesque", PCGP, [], id="whole-words-only"),
        pytest.param("", PCGP, [], id="empty-entry"),
    ],
)
def test_medication_entries(entry: str, flags: PatientFlags, expected: list[CautionCode]) -> None:
    assert codes([entry], flags) == expected


def test_caution_names_the_entry_as_typed_and_says_what_to_do() -> None:
    (caution,) = medication_cautions(["  Doxycycline 100 mg "], PCNGP)
    assert caution.severity is Severity.WARNING
    assert caution.medication == "  Doxycycline 100 mg "
    assert caution.message.startswith("Doxycycline 100 mg is a tetracycline")
    assert "intracranial hypertension" in caution.message
    assert "prescriber" in caution.message


@pytest.mark.parametrize(
    ("flags", "code"),
    [
        pytest.param(PatientFlags(is_pregnant=True), CautionCode.PREGNANCY, id="§1.7-pregnant"),
        pytest.param(
            PatientFlags(is_breastfeeding=True), CautionCode.BREASTFEEDING, id="§1.7-breastfeeding"
        ),
        pytest.param(
            PatientFlags(has_retinoid_allergy=True), CautionCode.RETINOID_ALLERGY, id="allergy"
        ),
    ],
)
def test_hard_stops(flags: PatientFlags, code: CautionCode) -> None:
    cautions = medication_cautions([], flags)
    assert [c.code for c in cautions] == [code]
    assert cautions[0].severity is Severity.STOP
    assert has_hard_stop(cautions)


def test_no_hard_stop_for_medicines_alone() -> None:
    assert not has_hard_stop(medication_cautions(["doxycycline", "vitamin A"], PCGP))


def test_most_severe_first() -> None:
    cautions = medication_cautions(
        ["multivitamin", "prednisone", "doxycycline"], PatientFlags(is_pregnant=True)
    )
    assert [c.severity for c in cautions] == [
        Severity.STOP,
        Severity.WARNING,
        Severity.CAUTION,
        Severity.INFO,
    ]


@pytest.mark.parametrize(
    ("capsules", "severity", "says"),
    [
        pytest.param({25}, Severity.WARNING, "25 mg capsule of this regimen", id="§2.2-in-regimen"),
        pytest.param({30}, Severity.CAUTION, "do not use the Absorica 25 mg", id="§2.2-not-used"),
        pytest.param(set(), Severity.CAUTION, "do not use", id="§2.2-no-regimen-yet"),
    ],
)
def test_tartrazine_sensitivity_with_absorica(
    capsules: set[int], severity: Severity, says: str
) -> None:
    flags = PatientFlags(has_tartrazine_sensitivity=True)
    (caution,) = medication_cautions([], flags, product=ABSORICA, capsules_mg=capsules)
    assert caution.code is CautionCode.EXCIPIENT
    assert caution.severity is severity
    assert says in caution.message


def test_no_excipient_caution_without_the_sensitivity() -> None:
    assert medication_cautions([], PCNGP, product=ABSORICA, capsules_mg={25}) == ()


def test_soy_or_paraben_allergy_with_zenatane() -> None:
    """§2.2: Zenatane contains soybean oil and parabens."""
    flags = PatientFlags(has_soy_or_paraben_allergy=True)
    (caution,) = medication_cautions([], flags, product=ZENATANE)
    assert caution.severity is Severity.WARNING
    assert "choose another product" in caution.message


def test_every_class_name_is_already_normalized() -> None:
    """Names are compared after lower-casing and dropping punctuation; a name that is not
    in that form could never match."""
    for medication_class in MEDICATION_CLASSES:
        for name in (*medication_class.names, *medication_class.unless):
            assert name == " ".join(name.split()).lower()
            assert all(ch.isalnum() or ch == " " for ch in name)


@given(
    st.sampled_from([n for k in MEDICATION_CLASSES for n in k.names]),
    st.sampled_from(["", " 10 mg", " daily", " (Rx)"]),
    st.sampled_from(["", "Take ", "OTC: "]),
    st.booleans(),
)
def test_any_listed_name_is_found_whatever_the_case_and_dose_text(
    name: str, suffix: str, prefix: str, upper: bool
) -> None:
    entry = prefix + (name.upper() if upper else name.title()) + suffix
    matched = {c.code for c in medication_cautions([entry], PCGP)}
    expected = {k.code for k in MEDICATION_CLASSES if name in k.names}
    assert expected <= matched
