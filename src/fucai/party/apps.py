from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "fucai.party"
    label = "party"
    verbose_name = _("Party building")

    def ready(self) -> None:
        from fucai.core.registry import Landing, MenuGroup, MenuItem, Module, register
        from fucai.party.models.branch import PARTY_AFFAIRS

        register(
            Module(
                label="party",
                urls=("party/", "fucai.party.urls"),
                api=("/party", "fucai.party.api:router"),
                menu=(
                    MenuGroup(
                        "party",
                        _("Party building"),
                        40,
                        (
                            MenuItem(_("Due this month"), "party:home", PARTY_AFFAIRS, order=0),
                            MenuItem(_("Branches"), "party:branch_list", PARTY_AFFAIRS, order=10),
                            MenuItem(_("Members"), "party:member_list", PARTY_AFFAIRS, order=20),
                            MenuItem(_("Meetings"), "party:meeting_list", PARTY_AFFAIRS, order=30),
                            MenuItem(_("Compliance"), "party:compliance", PARTY_AFFAIRS, order=40),
                            MenuItem(_("Pairing"), "party:pairing_list", PARTY_AFFAIRS, order=50),
                            MenuItem(_("Areas"), "party:area_list", PARTY_AFFAIRS, order=55),
                            MenuItem(
                                _("Effect on sales"), "party:study_list", PARTY_AFFAIRS, order=60
                            ),
                            MenuItem(
                                _("Four-strong assessments"),
                                "party:assessment_list",
                                PARTY_AFFAIRS,
                                order=45,
                            ),
                            MenuItem(
                                _("Vanguard posts"), "party:vanguard_list", PARTY_AFFAIRS, order=48
                            ),
                        ),
                    ),
                ),
                # after the network's users and visits (10-80)
                demo_builders=(
                    (90, "fucai.party.demo.PartyDemoBuilder"),
                    # after the branches and the demand grid (55): 吉安's pairings, 抚州's areas
                    (91, "fucai.party.demo_pairing.PairingDemoBuilder"),
                    (92, "fucai.party.demo_vanguard.VanguardDemoBuilder"),
                    (94, "fucai.party.assessment_demo.AssessmentDemoBuilder"),
                ),
                access="fucai.party.access",
                report_sections=("fucai.party.pack_section.party_section",),
                # Party-affairs officers (not editors of the network) land on what is due this month
                landing=(
                    Landing(
                        "party:home",
                        priority=5,
                        capability=PARTY_AFFAIRS,
                        applies="fucai.party.views.lands_on_party",
                    ),
                ),
            )
        )
