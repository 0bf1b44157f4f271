// Placeholder until this target's issue fills it.
