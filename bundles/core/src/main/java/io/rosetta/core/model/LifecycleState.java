package io.rosetta.core.model;

/** Where a device is in its life: {@code PROVISIONED → ACTIVE ⇄ SUSPENDED → DECOMMISSIONED}. */
public enum LifecycleState {
    PROVISIONED, ACTIVE, SUSPENDED, DECOMMISSIONED;

    /** Whether the registry allows moving from this state to {@code next}. */
    public boolean canMoveTo(LifecycleState next) {
        return switch (this) {
            case PROVISIONED -> next == ACTIVE || next == SUSPENDED || next == DECOMMISSIONED;
            case ACTIVE -> next == SUSPENDED || next == DECOMMISSIONED;
            case SUSPENDED -> next == ACTIVE || next == DECOMMISSIONED;
            case DECOMMISSIONED -> false;
        };
    }
}
