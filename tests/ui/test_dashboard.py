"""Tableau de bord: alerts that name who they concern, say what is late, lead somewhere."""

from __future__ import annotations

from habitat import store
from habitat.services.access import Screen
from habitat.store import queries
from habitat.store.entities import Role

from .conftest import TODAY, texts


def test_alerts_list_the_late_first_each_with_a_way_to_deal_with_it(page_as, demo_db):
    with store.connect(demo_db) as db:
        alerts = queries.dashboard(db, 1, TODAY).alerts
    late = [a for a in alerts if a.overdue]
    assert late, "the demo has reviews past their date"
    app = page_as(Screen.DASHBOARD, Role.ANIMATOR)

    assert not app.exception
    assert f"Alertes ({len(alerts)}, dont {len(late)} en retard)" in texts(app)
    shown = [m.value for m in app.markdown if m.value.startswith(("🔴", "🟠"))]
    assert len(shown) == len(alerts)
    assert all(m.startswith("🔴 **En retard**") for m in shown[: len(late)])
    assert not any("En retard" in m for m in shown[len(late) :])
    buttons = [b for b in app.button if b.key and b.key.startswith("dashboard.alert.")]
    assert len(buttons) == len(alerts)
    assert buttons[0].label == "Ouvrir la fiche"


def test_the_host_sees_the_alerts_and_only_buttons_to_pages_it_may_open(page_as, demo_db):
    app = page_as(Screen.DASHBOARD, Role.HOST)
    assert not app.exception
    shown = [m.value for m in app.markdown if m.value.startswith(("🔴", "🟠"))]
    buttons = [b for b in app.button if b.key and b.key.startswith("dashboard.alert.")]
    assert shown and len(buttons) == len(shown)  # the host reads every page it is sent to
