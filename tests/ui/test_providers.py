"""Intervenants: the directory, adding and editing providers, and the week of interventions."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.services import records
from habitat.services.access import Forbidden, Screen, user_of
from habitat.store.entities import Arrangement, Provider, Role

from .conftest import texts

XSS = "<img src=x onerror=alert(1)> [x](javascript:alert(1))"


def _submit(app, label: str):
    button = next(b for b in app.get("form_submit_button") if b.label == label)
    return button.click().run()


def leaves(node):
    """The page's elements in screen order (depth first)."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from leaves(child)


def next_after(app, key: str) -> str:
    """The text of the element shown right after the widget `key` (its field error)."""
    shown = list(leaves(app._tree))
    index = next(i for i, e in enumerate(shown) if getattr(e, "key", None) == key)
    following = shown[index + 1]
    return str(following.value) if following.type == "alert" or hasattr(following, "value") else ""


def _errors(app) -> list[str]:
    return [str(e.value) for e in app.error]


def _providers(demo_db) -> list[Provider]:
    with store.connect(demo_db) as db:
        return store.find(db, Provider, order_by="id")


def test_directory_lists_own_and_habitat_providers_and_filters(page_as, demo_db):
    app = page_as(Screen.PROVIDERS, Role.ANIMATOR)
    assert not app.exception
    directory = app.dataframe[0].value
    assert set(directory["Nom"]) == {p.name for p in _providers(demo_db)}
    assert any(v.startswith("🔵") for v in directory["Choisi par"])
    assert any(v.startswith("🟠") for v in directory["Choisi par"])

    app.selectbox(key="providers.filter.arrangement").select("own").run()
    own = app.dataframe[0].value
    expected = {p.name for p in _providers(demo_db) if p.arrangement is Arrangement.OWN}
    assert set(own["Nom"]) == expected
    assert all(v == "🔵 choisi par l'habitant" for v in own["Choisi par"])


def test_animator_adds_a_provider_stored_and_audited(page_as, demo_db):
    app = page_as(Screen.PROVIDERS, Role.ANIMATOR)
    app.text_input(key="provider.new.name").input(XSS)
    app.selectbox(key="provider.new.kind").select("nursing")
    app.radio(key="provider.new.arrangement").set_value("own")
    app.text_input(key="provider.new.phone").input("05 46 00 00 00")
    app.text_input(key="provider.new.finess").input("170000017")
    app = _submit(app, "Ajouter")
    assert not app.exception
    assert "Intervenant ajouté." in texts(app)
    with store.connect(demo_db) as db:
        added = store.find(db, Provider, "name = ?", [XSS])
        assert len(added) == 1
        assert added[0].arrangement is Arrangement.OWN and added[0].finess == "170000017"
        assert added[0].email is None, "an empty input is stored as nothing, not as ''"
        entries = store.history(db, "provider", added[0].id)
        assert [e.action for e in entries] == ["create"]
        assert entries[0].actor.startswith("animator:")
    # The typed payload is shown as text in the directory, never as markup.
    assert XSS in set(app.dataframe[0].value["Nom"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("finess", "12345", "N° FINESS : n'est pas un n° FINESS valide (9 caractères)"),
        ("phone", "appelez-moi", "Téléphone : n'est pas un numéro de téléphone valide"),
        ("email", "pas-une-adresse", "Courriel : n'est pas une adresse de courriel valide"),
        ("name", "", "Nom : ne peut pas être vide"),
    ],
)
def test_bad_input_shows_its_message_next_to_the_field(page_as, demo_db, field, value, message):
    before = len(_providers(demo_db))
    app = page_as(Screen.PROVIDERS, Role.ANIMATOR)
    if field != "name":
        app.text_input(key="provider.new.name").input("Cabinet test")
    app.text_input(key=f"provider.new.{field}").input(value)
    app = _submit(app, "Ajouter")
    assert not app.exception
    assert any(message in e for e in _errors(app)), _errors(app)
    assert message in next_after(app, f"provider.new.{field}"), "right under its input"
    assert len(_providers(demo_db)) == before, "nothing was written"
    # What was typed survives the refusal.
    assert app.text_input(key=f"provider.new.{field}").value == value


def test_concurrent_edit_shows_the_conflict_and_does_not_overwrite(page_as, demo_db):
    app = page_as(Screen.PROVIDERS, Role.ANIMATOR)
    chosen = app.selectbox(key="providers.edit").value
    form = f"provider.{chosen}"
    # Someone else saves the same provider meanwhile.
    with store.connect(demo_db) as db:
        current = store.get(db, Provider, chosen)
        store.update(
            db, "animator:other", Provider, chosen, current.version, {"phone": "0611223344"}
        )
    app.text_input(key=f"{form}.phone").input("0799887766")
    app = _submit(app, "Enregistrer")
    assert not app.exception
    assert any("modifiée" in str(w.value) for w in app.warning)
    assert app.button(key=f"{form}:reload")
    with store.connect(demo_db) as db:
        assert store.get(db, Provider, chosen).phone == "0611223344"
    # Reloading shows the colleague's value, ready to edit again.
    app = app.button(key=f"{form}:reload").click().run()
    assert app.text_input(key=f"{form}.phone").value == "0611223344"


def test_animator_archives_a_provider(page_as, demo_db):
    app = page_as(Screen.PROVIDERS, Role.ANIMATOR)
    chosen = app.selectbox(key="providers.edit").value
    app = app.button(key=f"provider.{chosen}:archive").click().run()
    assert not app.exception
    assert "Intervenant archivé" in texts(app)
    with store.connect(demo_db) as db:
        assert store.get(db, Provider, chosen).archived_at is not None
    names = set(app.dataframe[0].value["Nom"])
    with store.connect(demo_db) as db:
        assert store.get(db, Provider, chosen).name not in names


def test_host_reads_without_forms_and_cannot_write(page_as, demo_db, accounts):
    app = page_as(Screen.PROVIDERS, Role.HOST)
    assert not app.exception
    assert app.dataframe, "the directory is shown"
    assert not app.get("form_submit_button")
    assert not [b for b in app.button if b.key and b.key.endswith(":archive")]
    with store.connect(demo_db) as db:
        host = user_of(db, accounts[Role.HOST])
        with pytest.raises(Forbidden):
            records.create(
                db,
                host,
                Provider,
                {"habitat_id": 1, "name": "X", "kind": "gp", "arrangement": "own"},
            )


def test_week_view_flags_overlaps_of_own_and_habitat_providers(page_as, demo_db):
    app = page_as(Screen.PROVIDERS, Role.ANIMATOR)
    overlaps = [str(w.value) for w in app.warning if "en même temps" in str(w.value)]
    assert overlaps, "the demo's overlapping visits are flagged"
    week = next(d.value for d in app.dataframe if "Habitant" in d.value.columns)
    assert list(week.columns[1:4]) == ["mar. 30/06", "mer. 01/07", "jeu. 02/07"]
    cells = "\n".join(week.drop(columns=["Habitant"]).fillna("").to_numpy().ravel())
    assert "🔵" in cells and "🟠" in cells and "⚠️" in cells
    assert app.get("vega_lite_chart"), "the chosen resident's week is charted"


def test_provider_and_family_roles_are_refused(page_as):
    for role in (Role.PROVIDER, Role.FAMILY, Role.RESIDENT):
        app = page_as(Screen.PROVIDERS, role)
        assert "Votre rôle ne donne pas accès à cette page." in texts(app)
        assert not app.dataframe
