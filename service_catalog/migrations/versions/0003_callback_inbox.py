"""call-me-back inbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 22:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('callback_request',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=False),
    sa.Column('contact_id', sa.String(length=64), nullable=True),
    sa.Column('contact_channel', sa.String(length=10), nullable=False),
    sa.Column('contact_value', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('claimed_by', sa.Integer(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_callback_request_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_callback_request_contact_id_contact')),
    sa.ForeignKeyConstraint(['claimed_by'], ['staff_user.id'], name=op.f('fk_callback_request_claimed_by_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_request'))
    )
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        for column in ('created_at', 'municipality_id', 'contact_id', 'status', 'claimed_by'):
            batch_op.create_index(batch_op.f(f'ix_callback_request_{column}'), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('callback_request', schema=None) as batch_op:
        for column in ('created_at', 'municipality_id', 'contact_id', 'status', 'claimed_by'):
            batch_op.drop_index(batch_op.f(f'ix_callback_request_{column}'))
    op.drop_table('callback_request')
