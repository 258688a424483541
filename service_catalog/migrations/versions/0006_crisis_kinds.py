"""helplines: the crisis kinds of pk.v1 as widened (child_danger split, child_youth -> child)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

"""
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The old tags and what they meant in the widened contract.
UP = {'child_danger': ['medical', 'missing_child', 'child_abuse'], 'child_youth': ['child']}
DOWN = {'medical': ['child_danger'], 'missing_child': ['child_danger'], 'child_abuse': ['child_danger'],
        'child': ['child_youth']}


def _remap(mapping) -> None:
    bind = op.get_bind()
    helpline = sa.table('helpline', sa.column('id', sa.String), sa.column('crisis', sa.JSON))
    for row in bind.execute(sa.select(helpline.c.id, helpline.c.crisis)).all():
        old = row.crisis if isinstance(row.crisis, list) else json.loads(row.crisis or '[]')
        new = []
        for mapped in (m for tag in old for m in mapping.get(tag, [tag])):
            if mapped not in new:
                new.append(mapped)
        if new != old:
            bind.execute(helpline.update().where(helpline.c.id == row.id).values(crisis=new))


def upgrade() -> None:
    _remap(UP)


def downgrade() -> None:
    _remap(DOWN)
