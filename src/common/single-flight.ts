/**
 * One run per key at a time, shared: a call for a key whose run is under way gets that run's outcome
 * instead of starting another. Once it settles, the next call starts afresh. In-process only: across
 * processes the work itself must tolerate a twin (e.g. a create that finds the name taken).
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running) return running;
    const flight = Promise.resolve().then(work);
    this.flights.set(key, flight);
    const land = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.then(land, land);
    return flight;
  }
}
