package zdm.protocol;

/** A peer sent something that is not a valid frame or message; the message is safe to show. */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }
}
