export declare const PYTHON: string;
export declare const PYTHON_MODULES: readonly (readonly [string, string])[];
export declare const PG_TOOLS: readonly (readonly [string, string])[];
export declare function missingOdooPackages(): string[];
