"""search at scale: type_word, coverage and perheneuvo indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 01:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COVERAGE = ['type', 'region_id', 'municipality_id', 'area_id']


def upgrade() -> None:
    op.create_table('type_word',
    sa.Column('word', sa.String(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('services', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('word', 'type', name=op.f('pk_type_word'))
    )
    postgres = op.get_bind().dialect.name == 'postgresql'
    with op.batch_alter_table('service', schema=None) as batch_op:
        # (type) alone is the prefix of both new indexes.
        batch_op.drop_index(batch_op.f('ix_service_type'))
        batch_op.create_index('ix_service_coverage', COVERAGE, unique=False)
        if not postgres:
            batch_op.create_index('ix_service_type_id', ['type', 'id'], unique=False)
    if postgres:
        # The search orders by id in Python's order (code points), whatever the database's
        # collation; the index must have the same collation to serve that order.
        op.create_index('ix_service_type_id', 'service', ['type', sa.text('id COLLATE "C"')], unique=False)
    with op.batch_alter_table('service_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_location_service_id'))
        batch_op.create_index('ix_service_location_live', ['service_id', 'deleted_at'], unique=False)
    with op.batch_alter_table('contact_municipality', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_contact_municipality_municipality_id'), ['municipality_id'], unique=False
        )
    # The words of the services already in the catalogue (the app's own lemmatiser decides them).
    from service_catalog.vocabulary import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('contact_municipality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_municipality_municipality_id'))
    with op.batch_alter_table('service_location', schema=None) as batch_op:
        batch_op.drop_index('ix_service_location_live')
        batch_op.create_index(batch_op.f('ix_service_location_service_id'), ['service_id'], unique=False)
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index('ix_service_type_id')
        batch_op.drop_index('ix_service_coverage')
        batch_op.create_index(batch_op.f('ix_service_type'), ['type'], unique=False)
    op.drop_table('type_word')
