// GraphiQL with every asset served by c360. Queries go over POST /graphql; when the tab is signed
// in to the web app, its key is sent unless the headers pane sets Authorization itself.
(function () {
  "use strict";
  var token = window.sessionStorage.getItem("c360.token");
  var fetcher = GraphiQL.createFetcher({
    url: "/graphql",
    headers: token ? { Authorization: "Bearer " + token } : {},
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      defaultHeaders: token ? "" : '{"Authorization": "Bearer <API key>"}',
    })
  );
})();
