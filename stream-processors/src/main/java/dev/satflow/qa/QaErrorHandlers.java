package dev.satflow.qa;

import dev.satflow.contracts.Topics;
import dev.satflow.core.validate.DeadLetters;
import dev.satflow.schema.DeadLetter;
import dev.satflow.schema.QaRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QA processor's safety nets, behind the gatherer's own per-record checks: an exception no code path
 * foresaw, or a question the sink cannot serialize, dead-letters the record that triggered it, with its coordinates, inside the same exactly-once
 * transaction, and the stage goes on. Without them such a record fails the stream thread, which is
 * replaced and meets the same record again: a crash loop on one offset.
 *
 * <p>Kafka trouble on send (a broker away, a timeout, fencing) is not the record's fault: it still fails the
 * task, so Streams retries or rebalances as it should, and nothing is dead-lettered for it.
 */
public final class QaErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(QaErrorHandlers.class);

    /** The {@link Topics} the handlers write dead letters with, passed through the Streams properties. */
    public static final String TOPICS_CONFIG = "satflow.qa.topics";

    private QaErrorHandlers() {}

    /** Installs both handlers, for every processor and punctuation, writing with these topics. */
    public static void install(Properties p, Topics topics) {
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, Processing.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, Production.class.getName());
        p.put("processing.exception.handler.global.enabled", true);
        p.put(TOPICS_CONFIG, topics);
    }

    private static Topics topics(Map<String, ?> configs) {
        Object t = configs.get(TOPICS_CONFIG);
        if (!(t instanceof Topics topics)) {
            throw new IllegalArgumentException("Streams property '" + TOPICS_CONFIG + "' = " + t
                    + ": expected the Topics instance (QaErrorHandlers.install sets it)");
        }
        return topics;
    }

    /** The dead letter for the input record behind the failure (none at a punctuation: coordinates -1). */
    static ProducerRecord<byte[], byte[]> deadLetter(Topics topics, ErrorHandlerContext ctx, String why,
            Exception e) {
        String key = ctx.sourceRawKey() == null ? null : new String(ctx.sourceRawKey(), StandardCharsets.UTF_8);
        String source = ctx.topic() == null ? "" : ctx.topic();
        Exception described = why == null ? e : new IllegalStateException(why + ": " + e.getMessage(), e);
        DeadLetter dl = DeadLetters.of(SceneGatherer.STAGE, source, ctx.partition(), ctx.offset(), key,
                ctx.sourceRawValue(), described, System.currentTimeMillis());
        String dlq = topics.dlq().name();
        return new ProducerRecord<>(dlq, null, ctx.sourceRawKey(), topics.dlq().valueSerde().serializer()
                .serialize(dlq, dl));
    }

    /** An exception thrown by a processor or punctuation: dead-letter its input record and continue. */
    public static final class Processing implements ProcessingExceptionHandler {
        private Topics topics;

        @Override
        public void configure(Map<String, ?> configs) {
            topics = topics(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
            LOG.error("qa: unforeseen failure in {} on {}-{}@{}; dead-lettering the record", ctx.processorNodeId(),
                    ctx.topic(), ctx.partition(), ctx.offset(), e);
            return Response.resume(List.of(deadLetter(topics, ctx, "unforeseen failure in " + ctx.processorNodeId(),
                    e)));
        }
    }

    /**
     * A question that does not serialize: dead-letter its trigger record, naming the question, and let the
     * scene's other questions through. Errors on send keep the default (fail the task): under exactly-once a
     * failed send has already doomed the open transaction, so the task must abort and retry it.
     */
    public static final class Production implements ProductionExceptionHandler {
        private Topics topics;

        @Override
        public void configure(Map<String, ?> configs) {
            topics = topics(configs);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext ctx, ProducerRecord record, Exception e,
                SerializationExceptionOrigin origin) {
            String what = record.value() instanceof QaRecord qa ? "question " + qa.getQaId() : "a record for "
                    + record.topic();
            LOG.error("qa: {} does not serialize ({}); dead-lettering its trigger", what, origin, e);
            return Response.resume(List.of(deadLetter(topics, ctx, what + " does not serialize (" + origin + ")",
                    e)));
        }
    }
}
