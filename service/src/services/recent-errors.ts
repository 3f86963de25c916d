/**
 * The last failed requests (status >= 400), newest first, for the admin page. Kept in memory per
 * process; the path is stored without its query string (which may carry a token).
 */
export interface RecentError {
  time: string;
  method: string;
  path: string;
  status: number;
  message: string;
  user: string | null;
  request_id: string;
}

export class RecentErrors {
  private readonly items: RecentError[] = [];

  constructor(private readonly capacity = 50) {}

  add(item: RecentError): void {
    this.items.unshift(item);
    if (this.items.length > this.capacity) {
      this.items.length = this.capacity;
    }
  }

  list(): RecentError[] {
    return [...this.items];
  }
}
