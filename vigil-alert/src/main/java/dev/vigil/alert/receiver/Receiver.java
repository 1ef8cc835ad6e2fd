package dev.vigil.alert.receiver;

import dev.vigil.alert.Notification;

/**
 * Somewhere a notification goes. Implementations are small and stateless but for the state store
 * (tickets they opened); the job queue calls {@link #send} from the receiver's own worker thread and
 * retries transient failures.
 */
public interface Receiver {
  /** The receiver's name in the configuration (also its queue name). */
  String name();

  /** The receiver type as configured ({@code webhook}, {@code slack}, ...). */
  String type();

  /**
   * Delivers one notification.
   *
   * @param idempotencyKey the same for every attempt of this notification; sent to peers that
   *     honour one so a retried delivery is dropped there
   * @throws DeliveryException naming the peer and the reason, permanent or not
   */
  void send(Notification notification, String idempotencyKey) throws DeliveryException;
}
