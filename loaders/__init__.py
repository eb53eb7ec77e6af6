"""Source files and events -> validated, normalized records -> batched graph writes."""
