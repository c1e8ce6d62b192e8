"""The documents a habitat produces: pure renderers from figures and records to files.

Nothing here touches the database or knows who asks: `habitat.services.documents`
gathers what a role may see, then hands it to a renderer here (HTML, PDF, xlsx,
CSV, iCalendar). Every text typed by a person is shown as text in every format.
"""
