/** Figures the web suite measures (activation in the worker), written with its results. */
export const figures: Record<string, number> = {};
