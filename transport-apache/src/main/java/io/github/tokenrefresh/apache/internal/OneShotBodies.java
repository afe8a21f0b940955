package io.github.tokenrefresh.apache.internal;

import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;

import java.io.ByteArrayInputStream;

/**
 * Token request bodies that HttpClient takes for one-shot, so its retry element never sends a token request twice.
 *
 * <p>HttpClient's default retry strategy resends a request answered 503 or 429 after the server's
 * {@code Retry-After} (sleeping in the caller's thread on the classic client), and some strategies resend after an
 * I/O error. For a token request that is wrong twice over: the policy owns retries and backs off by itself, and
 * with rotating refresh tokens a blind resend after a lost answer presents a refresh token the server has already
 * used, which revokes the whole token family. Both retry elements leave a request alone whose body cannot be
 * repeated, and no content type is set here, because the core's request carries its own {@code Content-Type}.
 */
public final class OneShotBodies {

    private OneShotBodies() {
    }

    /**
     * Returns a classic entity for {@code body} that is not repeatable, with its length known.
     *
     * @param body the form body
     * @return the entity
     */
    public static HttpEntity classic(byte[] body) {
        return new InputStreamEntity(new ByteArrayInputStream(body), body.length, null);
    }

    /**
     * Returns an async entity producer for {@code body} that reports itself not repeatable.
     *
     * @param body the form body
     * @return the producer
     */
    public static AsyncEntityProducer async(byte[] body) {
        return new BasicAsyncEntityProducer(body, null) {
            @Override
            public boolean isRepeatable() {
                return false;
            }
        };
    }
}
