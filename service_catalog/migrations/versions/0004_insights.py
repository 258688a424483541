"""insights: answer events, unanswered questions, ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 23:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = {
    'answer_event': ('at', 'conversation', 'municipality_id'),
    'unanswered_question': ('at', 'language', 'municipality_id'),
    'rating': ('at', 'conversation'),
}


def upgrade() -> None:
    op.create_table('answer_event',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('conversation', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('intent', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=True),
    sa.Column('service_type', sa.String(length=64), nullable=True),
    sa.Column('understood', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_event'))
    )
    op.create_table('unanswered_question',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('municipality_id', sa.String(length=64), nullable=True),
    sa.Column('intent', sa.String(length=100), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unanswered_question'))
    )
    op.create_table('rating',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('conversation', sa.String(length=64), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating'))
    )
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
    op.drop_table('rating')
    op.drop_table('unanswered_question')
    op.drop_table('answer_event')
