"""The statutory suggestion system (제안 제도): rule packs, legal clocks, and (to come) the lifecycle."""
