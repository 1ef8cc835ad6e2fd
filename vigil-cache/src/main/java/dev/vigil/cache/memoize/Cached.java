package dev.vigil.cache.memoize;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches an interface method's results when the interface is wrapped with
 * {@link dev.vigil.cache.CacheManager#cached}: the documented {@code @cached(ttl=600, key_prefix="user")}.
 * Keys are derived from the arguments as {@link KeyDerivation} documents.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {
  /** Time to live in seconds (default 300, as in the documented examples). Ignored when {@link #category()} is set. */
  long ttl() default 300;

  /** Key prefix; default {@code <InterfaceSimpleName>.<method>}. */
  String keyPrefix() default "";

  /** A TTL profile category (e.g. {@code static_data}) to use instead of {@link #ttl()}. */
  String category() default "";
}
