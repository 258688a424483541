"""The admin API's and the staff UI's tests again, against the real PostgreSQL on 127.0.0.1:5432.

Each test gets its own database, copied from a template that Alembic migrated and the seed
loaded once per module. Skipped, saying why, when no server answers.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from service_catalog.db import new_session
from tests.test_admin_crud import (  # noqa: F401  (collected here to run on PostgreSQL)
    test_a_follow_up_never_shows_a_deleted_service,
    test_a_write_racing_another_commit_is_refused,
    test_an_edit_is_in_the_bots_next_answer_and_a_deleted_service_never,
    test_audit_entries_record_who_what_and_when,
    test_bad_input_is_a_clear_422,
    test_every_crud_path,
    test_patch_cannot_remove_what_is_required,
    test_places_contacts_and_helplines_follow_staff_edits,
    test_put_replaces_and_keeps_nested_locations_valid,
    test_soft_delete_rules,
    test_two_editors_cannot_overwrite_each_other,
    test_unknown_ids_are_404,
)
from tests.test_ptv_api import (  # noqa: F401
    test_a_broken_file_is_a_clear_4xx_and_changes_nothing,
    test_a_huge_upload_is_refused_with_413,
    test_an_editor_imports_a_ptv_file_and_the_audit_log_names_them,
    test_the_brake_refuses_a_file_that_would_delete_most_services,
)
from tests.test_staff_auth import (  # noqa: F401
    test_a_deactivated_account_loses_access_at_once,
    test_api_tokens_are_shown_once_and_stored_hashed,
    test_no_admin_path_answers_without_a_token,
    test_roles,
    test_sign_in_with_the_password_form,
)
from tests.test_staff_ui import (  # noqa: F401
    test_a_viewer_reads_but_cannot_write,
    test_an_edit_on_a_stale_form_is_refused,
    test_an_editor_edits_a_service_and_the_bot_answers_with_it,
    test_delete_is_a_soft_delete_and_restore_brings_it_back,
    test_editors_claim_note_and_close_in_the_ui,
    test_every_edit_form_saves_its_row_unchanged,
    test_invalid_data_is_shown_in_the_form_and_changes_nothing,
    test_the_inbox_lists_requests_newest_first_and_filters,
)


@pytest.fixture
def staff_url(pg_url: str) -> str:
    """The conftest fixtures (`client`, `auth`) use this PostgreSQL database instead of SQLite."""
    return pg_url


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from settings import REPO_ROOT

    return ScriptDirectory.from_config(Config(str(REPO_ROOT / "alembic.ini"))).get_current_head()


def test_it_is_postgresql_at_the_newest_revision(staff_url):
    with new_session(staff_url) as session:
        assert session.bind.dialect.name == "postgresql"
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
        assert session.execute(text("SELECT count(*) FROM staff_user")).scalar() == 3
