// PageController.swift — serves the embedded pages: `/`, `/studio.js`, `/model`, `/model.js`, `/train`,
// `/train.js`, `/studio.css`.

import Hummingbird

struct PageController {
    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        let html = ByteBuffer(string: StudioPage.html)
        let css = ByteBuffer(string: StudioPage.css)
        let script = ByteBuffer(string: StudioPage.script)
        routes.get("/", .open) { _, _ in Self.file(html, type: "text/html; charset=utf-8") }
        routes.get("/index.html", .open) { _, _ in Self.file(html, type: "text/html; charset=utf-8") }
        routes.get("/studio.css", .open) { _, _ in Self.file(css, type: "text/css; charset=utf-8") }
        routes.get("/studio.js", .open) { _, _ in Self.file(script, type: "text/javascript; charset=utf-8") }
        let modelHTML = ByteBuffer(string: StudioPage.modelHTML)
        let modelScript = ByteBuffer(string: StudioPage.modelScript)
        routes.get("/model", .open) { _, _ in Self.file(modelHTML, type: "text/html; charset=utf-8") }
        routes.get("/model.js", .open) { _, _ in Self.file(modelScript, type: "text/javascript; charset=utf-8") }
        let trainHTML = ByteBuffer(string: StudioPage.trainHTML)
        let trainScript = ByteBuffer(string: StudioPage.trainScript)
        routes.get("/train", .open) { _, _ in Self.file(trainHTML, type: "text/html; charset=utf-8") }
        routes.get("/train.js", .open) { _, _ in Self.file(trainScript, type: "text/javascript; charset=utf-8") }
        return routes
    }

    static func file(_ bytes: ByteBuffer, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: ResponseBody(byteBuffer: bytes))
    }
}
