package dev.teal.gateway.admin;

import dev.teal.contract.status.StatusDocument;
import dev.teal.gateway.config.ReloadResult;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.routing.Router;
import dev.teal.gateway.routing.SwitchOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/** Maps admin requests to the router, the metrics registry and the readiness state. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Router router;
    private final GatewayMetrics metrics;
    private final BooleanSupplier ready;
    private final String mode;
    private final Function<String, Map<String, ?>> statusExtras;
    private final AdminServer.Operations operations;

    AdminHandler(Router router, GatewayMetrics metrics, BooleanSupplier ready, String mode,
                 Function<String, Map<String, ?>> statusExtras, AdminServer.Operations operations) {
        this.router = router;
        this.metrics = metrics;
        this.ready = ready;
        this.mode = mode;
        this.statusExtras = statusExtras;
        this.operations = operations;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse res;
        if (req.decoderResult().isFailure()) {
            res = text(HttpResponseStatus.BAD_REQUEST, "bad request");
            HttpUtil.setKeepAlive(res, false);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        HttpMethod method = req.method();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (method == HttpMethod.POST && path.startsWith("/services/") && path.endsWith("/switch")) {
            // the gate and warm-up take a while (a connect probe, at most about a second): answer when they are done,
            // without holding this event loop; the connection reads nothing more until then (answers stay in order)
            ctx.channel().config().setAutoRead(false);
            switchRequest(path, uri.parameters()).whenComplete((r, e) -> ctx.executor().execute(() -> {
                FullHttpResponse answer = r;
                if (e != null) {
                    LOG.atError().addKeyValue("path", path).setCause(e).log("admin request failed");
                    answer = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("internal error"));
                }
                send(ctx, answer, keepAlive);
                ctx.channel().config().setAutoRead(true);
            }));
            return;
        }
        try {
            res = route(method, path, uri.parameters());
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("path", path).setCause(e).log("admin request failed");
            res = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("internal error"));
        }
        send(ctx, res, keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(HttpMethod method, String path, Map<String, List<String>> params) {
        boolean get = method == HttpMethod.GET || method == HttpMethod.HEAD;
        switch (path) {
            case "/healthz":
                return get ? text(HttpResponseStatus.OK, "ok") : notAllowed();
            case "/readyz":
                if (!get) {
                    return notAllowed();
                }
                return ready.getAsBoolean() ? text(HttpResponseStatus.OK, "ready")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready");
            case "/metrics": {
                if (!get) {
                    return notAllowed();
                }
                FullHttpResponse r = body(HttpResponseStatus.OK, metrics.scrape(), PROMETHEUS_TEXT);
                return r;
            }
            case "/status":
                if (!get) {
                    return notAllowed();
                }
                return params.containsKey("service") ? oneService(params.get("service"))
                        : json(HttpResponseStatus.OK,
                        StatusView.of(router.current(), ready.getAsBoolean(), mode, statusExtras,
                                operations.tls().get()));
            case "/version":
                return get ? json(HttpResponseStatus.OK, OperatorViews.version()) : notAllowed();
            case "/config":
                return get ? json(HttpResponseStatus.OK, OperatorViews.config(operations.config().get(),
                        operations.source().get())) : notAllowed();
            case "/reload":
                return method == HttpMethod.POST ? reloadResponse(operations.reload().apply("POST /reload"))
                        : notAllowed();
            default:
                break;
        }
        if (path.startsWith("/services/") && path.endsWith("/switch")) {
            return notAllowed(); // POST is handled by switchRequest
        }
        return json(HttpResponseStatus.NOT_FOUND, error("no such admin path"));
    }

    /** {@code GET /status?service=NAME}: one service's part of the document (404 for a service not routed). */
    private FullHttpResponse oneService(List<String> names) {
        if (names.size() != 1 || names.get(0).isEmpty()) {
            return json(HttpResponseStatus.BAD_REQUEST, error("give one service: ?service=NAME"
                    + ("kubernetes".equals(mode) ? " (NAME.NAMESPACE in Kubernetes mode)" : "")));
        }
        String name = names.get(0);
        StatusDocument one = StatusView.one(router.current(), name, ready.getAsBoolean(), mode, statusExtras);
        return one == null ? json(HttpResponseStatus.NOT_FOUND, error("unknown service '" + name + "'"))
                : json(HttpResponseStatus.OK, one);
    }

    private CompletableFuture<FullHttpResponse> switchRequest(String path, Map<String, List<String>> params) {
        String name = path.substring("/services/".length(), path.length() - "/switch".length());
        List<String> to = params.get("to");
        if (to == null || to.size() != 1 || to.get(0).isEmpty()) {
            return CompletableFuture.completedFuture(
                    json(HttpResponseStatus.BAD_REQUEST, error("give the target color: ?to=green")));
        }
        boolean force = params.containsKey("force") && !"false".equals(params.get("force").get(0));
        return router.switchAsync(name, to.get(0), force).thenApply(this::switchResponse);
    }

    private FullHttpResponse switchResponse(SwitchOutcome outcome) {
        if (outcome instanceof SwitchOutcome.Switched s) {
            ObjectNode n = StatusView.JSON.createObjectNode();
            n.put("service", s.service());
            n.put("from", s.from());
            n.put("to", s.to());
            n.put("switchedAt", s.switchedAt().toString());
            n.put("switches", s.switches());
            return json(HttpResponseStatus.OK, n);
        }
        if (outcome instanceof SwitchOutcome.UnknownService u) {
            return json(HttpResponseStatus.NOT_FOUND, error("unknown service '" + u.service() + "'"));
        }
        if (outcome instanceof SwitchOutcome.UnknownColor u) {
            return json(HttpResponseStatus.BAD_REQUEST, error("service '" + u.service() + "' has no color '" + u.color() + "'"));
        }
        if (outcome instanceof SwitchOutcome.NoHealthyEndpoint n) {
            ObjectNode refused = error(n.reason() + "; add &force=true to switch anyway");
            refused.put("service", n.service());
            refused.put("to", n.color());
            refused.put("reason", n.reason());
            return json(HttpResponseStatus.CONFLICT, refused);
        }
        SwitchOutcome.NotAllowed na = (SwitchOutcome.NotAllowed) outcome;
        return json(HttpResponseStatus.CONFLICT, error(na.reason()));
    }

    /** 200 with what changed; 422 with the errors (the running configuration is kept); 409 when nothing to re-read. */
    private static FullHttpResponse reloadResponse(ReloadResult r) {
        HttpResponseStatus status = switch (r.outcome()) {
            case APPLIED -> HttpResponseStatus.OK;
            case REJECTED -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
            case NOT_RELOADABLE -> HttpResponseStatus.CONFLICT;
        };
        return json(status, OperatorViews.reload(r));
    }

    private static ObjectNode error(String message) {
        ObjectNode n = StatusView.JSON.createObjectNode();
        n.put("error", message);
        return n;
    }

    private static FullHttpResponse notAllowed() {
        return json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("method not allowed"));
    }

    /** {@code node}: a tree, or a record of the contract module ({@link StatusDocument}). */
    private static FullHttpResponse json(HttpResponseStatus status, Object node) {
        return body(status, StatusView.JSON.writeValueAsString(node) + "\n", "application/json");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        return body(status, text + "\n", "text/plain; charset=utf-8");
    }

    private static FullHttpResponse body(HttpResponseStatus status, String text, String type) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.atDebug().addKeyValue("error", cause.toString()).log("admin connection error");
        ctx.close();
    }
}
