/** Words shared by several texts. */
export const common = {} as const;
