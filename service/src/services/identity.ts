/** Who is calling, as the auth middleware resolved it. */
export interface Identity {
  name: string;
  isAdmin: boolean;
}
