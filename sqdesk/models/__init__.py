"""ORM models, one module per aggregate. Importing this package registers them all."""

from sqdesk.models.activity import Activity
from sqdesk.models.audit import AuditEntry, ImportBatch
from sqdesk.models.base import Base
from sqdesk.models.event import Event, Registration, event_groups, event_hosts
from sqdesk.models.group import Group, Membership
from sqdesk.models.member import Member, Tag, member_tags
from sqdesk.models.rule import Rule, RuleVersion, rule_groups
from sqdesk.models.supply_demand import Match, SupplyDemand

__all__ = [
    "Activity", "AuditEntry", "Base", "Event", "Group", "ImportBatch", "Match", "Member",
    "Membership", "Registration", "Rule", "RuleVersion", "SupplyDemand", "Tag",
    "event_groups", "event_hosts", "member_tags", "rule_groups",
]
