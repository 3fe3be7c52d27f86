"""What accounts tells the apps built on it.

accounts sits below matching and must not import it: instead of calling
matching's tasks, its services send these signals inside their transaction, and
matching subscribes (matching/apps.py) to enqueue its work once that commits.
"""

from django.dispatch import Signal

# A researcher's profile or works changed (text, capacity, verification):
# their match scores must follow. Sent with profile_id.
researcher_changed = Signal()

# Staff verified a company or researcher, or refused for now. Sent with
# event ("company_reviewed" or "researcher_reviewed") and object_id.
reviewed = Signal()

# Something happened that people must be told of (e.g. "invitation_received"):
# matching writes and e-mails the notifications. Sent with event and object_id.
notify = Signal()
