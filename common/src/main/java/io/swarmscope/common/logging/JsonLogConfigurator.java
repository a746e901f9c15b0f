package io.swarmscope.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;

/**
 * Our own logs as JSON lines on stderr (logstash-logback-encoder), so the log shipper and Kibana
 * read them as events. Configured in code, found by logback through {@code META-INF/services}:
 * it skips logback's XML configuration machinery, which costs a per-node agent about a thousand
 * loaded classes. {@code LOG_LEVEL} (default INFO) sets the root level.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeContext(false);
    encoder.start();

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();

    String level = System.getenv().getOrDefault("LOG_LEVEL", "INFO");
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(appender);
    // Transport libraries log every connection at INFO/DEBUG; only their warnings matter to us.
    context.getLogger("org.apache.hc").setLevel(Level.WARN);
    context.getLogger("com.github.dockerjava").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
