package dev.satflow.ops.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to every open page. Each page has its own bounded queue: a slow page loses
 * its own oldest events and never holds up the publisher or the other pages (a page that reconnects
 * gets a fresh snapshot, so what it lost is only the in-between). Question
 * cards go to each page through its filter (type, split), at most {@link #CARDS_PER_EVENT} per
 * event, so a busy pipeline sends each page a few cards a second however fast questions come.
 */
final class EventHub {
    static final int QUEUE = 256;
    static final int CARDS_PER_EVENT = 24;

    /** One SSE message, encoded once for every page. */
    record Event(byte[] frame) {
        static Event of(String name, String json) {
            return new Event(("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Wakes a page's stream when the hub closes. */
    private static final Event CLOSED = new Event(new byte[0]);

    /** Too many pages open (503). */
    static final class Full extends RuntimeException {
        Full(String message) {
            super(message);
        }
    }

    /** An open page. */
    final class Subscriber implements AutoCloseable {
        final ConsoleState.Filter filter;
        private final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean closed;

        private Subscriber(ConsoleState.Filter filter) {
            this.filter = filter;
        }

        synchronized void offer(Event e) {
            while (!closed && !queue.offer(e)) {
                queue.poll(); // the oldest goes: the page is behind anyway
            }
        }

        /** The next event, null after {@code ms} without one; {@link #isClosed()} tells when the hub closed. */
        Event poll(long ms) throws InterruptedException {
            Event e = queue.poll(ms, TimeUnit.MILLISECONDS);
            return e == CLOSED ? null : e;
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            subscribers.remove(this);
            synchronized (this) {
                closed = true;
                queue.clear();
                queue.offer(CLOSED);
            }
        }
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final int maxSubscribers;
    private final String qaTopic;

    EventHub(int maxSubscribers, String qaTopic) {
        this.maxSubscribers = maxSubscribers;
        this.qaTopic = qaTopic;
    }

    synchronized Subscriber subscribe(ConsoleState.Filter filter) {
        if (subscribers.size() >= maxSubscribers) {
            throw new Full(subscribers.size() + " pages are open, the most this console serves");
        }
        Subscriber s = new Subscriber(filter);
        subscribers.add(s);
        return s;
    }

    int size() {
        return subscribers.size();
    }

    void publish(String name, String json) {
        Event e = Event.of(name, json);
        for (Subscriber s : subscribers) {
            s.offer(e);
        }
    }

    /** New questions, to each page the ones its filter takes (the newest {@link #CARDS_PER_EVENT}). */
    void publishCards(List<ConsoleState.Card> cards, long droppedBefore) {
        if (cards.isEmpty()) {
            return;
        }
        Map<ConsoleState.Filter, Event> byFilter = new HashMap<>();
        for (Subscriber s : subscribers) {
            Event e = byFilter.computeIfAbsent(s.filter, f -> cardsEvent(cards, f, droppedBefore, false));
            if (e != null) {
                s.offer(e);
            }
        }
    }

    /** A {@code cards} event of the filter's matches among the cards; null when none match. */
    Event cardsEvent(List<ConsoleState.Card> cards, ConsoleState.Filter f, long skipped, boolean snapshot) {
        List<ConsoleState.Card> match = new ArrayList<>();
        for (ConsoleState.Card c : cards) {
            if (f.matches(c)) {
                match.add(c);
            }
        }
        if (match.isEmpty() && !snapshot) {
            return null;
        }
        int from = Math.max(0, match.size() - CARDS_PER_EVENT);
        ObjectNode o = ConsoleState.JSON.createObjectNode();
        o.put("snapshot", snapshot);
        o.put("skipped", from + (f.equals(ConsoleState.Filter.ALL) ? skipped : 0));
        ArrayNode a = o.putArray("cards");
        for (ConsoleState.Card c : match.subList(from, match.size())) {
            a.add(ConsoleState.cardJson(c, qaTopic));
        }
        return Event.of("cards", o.toString());
    }

    void closeAll() {
        for (Subscriber s : List.copyOf(subscribers)) {
            s.close();
        }
    }
}
