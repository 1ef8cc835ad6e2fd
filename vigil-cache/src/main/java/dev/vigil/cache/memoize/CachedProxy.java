package dev.vigil.cache.memoize;

import dev.vigil.cache.CacheLoadException;
import dev.vigil.cache.CacheManager;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Wraps an implementation of an interface in a {@link Proxy} that caches the results of its
 * {@link Cached} methods under {@code <keyPrefix>[:<args>]} ({@link KeyDerivation}); other methods are
 * called directly. An exception thrown by the implementation reaches the caller unchanged (checked
 * ones included), and is not cached; a null result is not cached.
 */
public final class CachedProxy {
  private CachedProxy() {
  }

  /** What to do for one @Cached method, worked out once. */
  private record Plan(String keyPrefix, Duration ttl, String category) {
  }

  /**
   * Creates the proxy.
   *
   * @throws IllegalArgumentException if {@code iface} is not an interface or a {@code @Cached} method
   *     returns void or has a non-positive TTL
   */
  public static <T> T create(CacheManager cache, Class<T> iface, T target) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(target, "target");
    if (!iface.isInterface()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface; @Cached works through interface proxies");
    }
    Map<Method, Plan> plans = new HashMap<>();
    for (Method m : iface.getMethods()) {
      m.trySetAccessible();
      Cached c = m.getAnnotation(Cached.class);
      if (c == null) {
        continue;
      }
      String where = iface.getSimpleName() + "." + m.getName();
      if (m.getReturnType() == void.class) {
        throw new IllegalArgumentException("@Cached method " + where + " returns void; nothing to cache");
      }
      if (c.category().isEmpty() && c.ttl() <= 0) {
        throw new IllegalArgumentException("@Cached method " + where + " has a non-positive ttl " + c.ttl());
      }
      if (!c.category().isEmpty()) {
        cache.ttlProfiles().profile(c.category());
      }
      String prefix = c.keyPrefix().isEmpty() ? where : c.keyPrefix();
      plans.put(m, new Plan(prefix, Duration.ofSeconds(Math.max(1, c.ttl())), c.category()));
    }
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          case "toString" -> "CachedProxy[" + iface.getSimpleName() + " over " + target + "]";
          default -> invoke(target, method, args);
        };
      }
      Plan plan = plans.get(method);
      if (plan == null) {
        return invoke(target, method, args);
      }
      String key = KeyDerivation.key(plan.keyPrefix(), args == null ? new Object[0] : args);
      Duration ttl = plan.category().isEmpty() ? plan.ttl() : cache.ttlProfiles().ttl(plan.category());
      try {
        return cache.get(key, method.getGenericReturnType(), ttl, k -> {
          try {
            return invoke(target, method, args);
          } catch (Throwable t) {
            throw new TargetFailure(t);
          }
        });
      } catch (CacheLoadException e) {
        if (e.getCause() instanceof TargetFailure f) {
          throw f.getCause();
        }
        throw e;
      }
    };
    return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, handler));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Carries the implementation's own exception through the cache's loader path. */
  private static final class TargetFailure extends RuntimeException {
    TargetFailure(Throwable cause) {
      super(cause.toString(), cause, false, false);
    }
  }
}
