import pytest

from tests.factories import AnlageFactory, BeratungFactory, SitzungFactory, TagesordnungspunktFactory, VorlageFactory


@pytest.mark.django_db
def test_factories_build_a_connected_graph():
    anlage = AnlageFactory()
    beratung = BeratungFactory(vorlage=anlage.vorlage)
    top = TagesordnungspunktFactory(sitzung=SitzungFactory(ausschuss=beratung.ausschuss))
    top.vorlagen.add(anlage.vorlage)
    assert anlage.vorlage.get_absolute_url().startswith("/vorlagen/grdrs-")
    assert VorlageFactory().kennung != anlage.vorlage.kennung
