"""The Checklists section: the list, one checklist worked item by item, compliance."""
