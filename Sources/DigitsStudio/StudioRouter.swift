// StudioRouter.swift — the studio's router: the middleware every request passes, each controller's route
// collection, and the two routes about the server itself (`/api/config`, `/api/health`).

import DigitImage
import Hummingbird

/// The studio's routes, all answering JSON errors (`{"error": ...}`) on failure.
public func buildRouter(_ studio: Studio) -> Router<BasicRequestContext> {
    buildRouterAndTable(studio).router
}

/// The studio's routes and the table of every route with its kind (`StudioRoutes.swift` says what each
/// kind is guarded by).
public func buildRouterAndTable(_ studio: Studio) -> (router: Router<BasicRequestContext>, table: RouteTable) {
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    let table = RouteTable()
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: HostMiddleware(policy: studio.hostPolicy))
    router.add(middleware: MethodMiddleware(table: table))
    router.add(middleware: BodySizeMiddleware())
    let routes = StudioRoutes(router: router, studio: studio, table: table)
    routes.add(PageController().routes)
    routes.add(PredictController(studio: studio).routes)
    routes.add(ReadController(studio: studio).routes)
    routes.add(SamplesController(studio: studio).routes)
    routes.add(TrainingController(studio: studio).routes)
    routes.add(ModelController(studio: studio).routes)
    routes.add(InsightsController(studio: studio).routes)
    routes.add(serverRoutes(studio))
    return (router, table)
}

/// `GET /api/config` (what the page needs to draw like the server: brush, limits, whether a token is
/// needed) and `GET /api/health`.
private func serverRoutes(_ studio: Studio) -> StudioRouteCollection {
    var routes = StudioRouteCollection()
        routes.get("/api/config", .open) { _, _ in
            struct Config: Encodable {
                var brushFraction: Double
                var tokenRequired: Bool
                var maxPoints: Int
                var maxStrokes: Int
                var maxSide: Int
            }
            return try JSONResponse.make(Config(
                brushFraction: Drawing.brushFraction, tokenRequired: studio.token != nil,
                maxPoints: Drawing.Limits.maximumPoints, maxStrokes: Drawing.Limits.maximumStrokes,
                maxSide: Drawing.Limits.maximumSide))
        }
    routes.get("/api/health", .open) { _, _ in try JSONResponse.make(["status": "ok"]) }
    return routes
}
