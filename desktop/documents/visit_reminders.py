"""What the patient's copy of a visit summary reminds them of: printed there, and listed on
the chart copy as the reminders given."""

from desktop.documents.data import VisitSummaryData
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod

SAFETY_REMINDERS = (
    "Do not give blood while you take isotretinoin and for 1 month after your last dose.",
    "Never share your capsules with anyone. Bring back any you do not use.",
    "Protect your skin from the sun: no tanning beds, and use a broad-spectrum, water-resistant "
    "sunscreen of SPF 30 or higher.",
    "No waxing, laser or other skin-smoothing treatments during treatment and for 6 months "
    "after, unless your prescriber says it is safe.",
    "No vitamin A supplements and no tetracycline antibiotics (doxycycline, minocycline, "
    "tetracycline). Ask us before you start any new medicine or supplement.",
    "Read the Medication Guide that comes with every fill.",
)
"""domain.md §6 and §1.7; printed for every patient."""
CALL_US_IF = (
    "you feel sad, hopeless, very irritable or angry, lose interest in things, or your mood "
    "changes in any other way, or the people close to you notice a change",
    "you have thoughts of hurting yourself or ending your life: get emergency help at once",
    "you have a bad headache with nausea, vomiting or blurred vision",
    "you have severe pain in your stomach, chest or back",
    "your skin or eyes turn yellow, or your urine turns dark",
    "you get a rash with blisters or peeling skin, swelling of the face, or trouble breathing",
    "your hearing or your vision in the dark changes, or your bones, joints or muscles hurt or "
    "feel weak",
)
"""domain.md §4.1 stop-and-call symptoms, in plain words."""
CALL_US_IF_CAN_GET_PREGNANT = (
    "you have sex without using both birth control methods, a method fails, your period is late, "
    "or you think you could be pregnant"
)
"""domain.md §1.7, §5."""
METHODS_IN_PLAIN_WORDS: dict[ContraceptionMethod, str] = {
    ContraceptionMethod.TUBAL_STERILIZATION: "your tubal sterilization",
    ContraceptionMethod.PARTNER_VASECTOMY: "your partner's vasectomy",
    ContraceptionMethod.IUD: "your IUD (intrauterine device)",
    ContraceptionMethod.COMBINATION_PILL: "the combination birth control pill",
    ContraceptionMethod.PATCH: "the birth control skin patch",
    ContraceptionMethod.INJECTION: "the birth control injection",
    ContraceptionMethod.IMPLANT: "the birth control implant",
    ContraceptionMethod.VAGINAL_RING: "the vaginal ring",
    ContraceptionMethod.CONDOM: "male latex condoms",
    ContraceptionMethod.DIAPHRAGM: "a diaphragm with spermicide",
    ContraceptionMethod.CERVICAL_CAP: "a cervical cap with spermicide",
    ContraceptionMethod.VAGINAL_SPONGE: "a vaginal sponge with spermicide",
    ContraceptionMethod.PROGESTIN_ONLY_PILL: "the progestin-only pill (minipill)",
}
"""The methods of domain.md §1.5 as a patient says them; the chart copy keeps iPLEDGE's
labels (rules.contraception.METHOD_LABELS)."""


def reminders_given(data: VisitSummaryData) -> list[str]:
    """The patient copy's reminders, in print order: birth control first for a patient who
    can get pregnant, then the standard safety reminders, then the course's own."""
    reminders = list(SAFETY_REMINDERS)
    if data.pregnancy is not None:
        reminders.insert(0, birth_control_reminder(data.pregnancy.contraception))
    return [*reminders, *data.reminders]


def birth_control_reminder(period: ContraceptionPeriod | None) -> str:
    """Two methods every time, or abstinence every day, until a month after the last dose
    (domain.md §1.5, §1.7)."""
    until = "until 1 month after your last dose"
    if period is not None and period.abstinence:
        return (
            "Birth control: you chose abstinence, no penile–vaginal sex at all, every day "
            f"{until}. If that may change, tell us first: you will need two birth control "
            "methods. Do not breastfeed."
        )
    chosen = (period.primary_method, period.secondary_method) if period else ()
    methods = " and ".join(METHODS_IN_PLAIN_WORDS[m] for m in chosen if m is not None)
    return (
        f"Birth control: use both of your methods, {methods or 'the two you chose'}, every "
        f"time you have sex, {until}. Tell us before you change anything. Do not breastfeed."
    )
