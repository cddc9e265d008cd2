/** The channel between the instances for published changes (Redis pub/sub in the service). */
export abstract class ChangeChannel {
  abstract onMessage(listener: (message: string) => void): void;
  abstract publish(message: string): void;
}
