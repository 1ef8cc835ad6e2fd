package dev.vigil.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.alert.receiver.WebhookReceiver;
import dev.vigil.alert.report.ReportTable;
import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each vendor receiver against WireMock stubs that accept only the vendor's documented request shape. */
class ReceiverShapesTest {
  static WireMockServer wm;
  @TempDir Path dir;
  StateStore store;
  MutableClock clock;
  AlertEngine engine;

  @BeforeAll
  static void start() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
  }

  @AfterAll
  static void stop() {
    wm.stop();
  }

  @BeforeEach
  void open() {
    wm.resetAll();
    store = StateStore.open(null, dir);
    clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    String base = "http://127.0.0.1:" + wm.port();
    String yaml = """
        builtin: {enabled: false}
        external_url: https://vigil.example.com/
        receivers:
          hook: {type: webhook, url: "%1$s/hook", secret: "${HOOK_SECRET}"}
          slack: {type: slack, url: "%1$s/services/T000/B000/${SLACK_KEY}"}
          teams: {type: teams, url: "%1$s/workflows/run?sig=${TEAMS_SIG}"}
          github: {type: github, api_url: "%1$s/gh", repo: acme/erp, token: "${GH_TOKEN}", labels: [vigil]}
          jira: {type: jira, url: "%1$s/jira", user: ops@example.com, token: "${JIRA_TOKEN}", project: OPS}
          wiki: {type: confluence, url: "%1$s/wiki", user: ops@example.com, token: "${JIRA_TOKEN}", space: OPS}
        route:
          receiver: hook
          group_wait: 0s
          group_interval: 1m
          routes:
            - {matchers: ['alertname="ToAll"'], receiver: slack, continue: true}
            - {matchers: ['alertname="ToAll"'], receiver: teams, continue: true}
            - {matchers: ['alertname="ToAll"'], receiver: github, continue: true}
            - {matchers: ['alertname="ToAll"'], receiver: jira, continue: true}
            - {matchers: ['alertname="ToAll"'], receiver: wiki, continue: true}
            - {matchers: ['alertname="ToAll"'], receiver: hook}
        """.formatted(base);
    engine = new AlertEngine(Fixtures.config(yaml, Map.of("HOOK_SECRET", "hook-s3cret", "SLACK_KEY", "slackkey123",
        "TEAMS_SIG", "teamssig456", "GH_TOKEN", "ghp_token789", "JIRA_TOKEN", "jira-token-000")), store,
        new Fixtures.Values(), clock);
  }

  @AfterEach
  void close() {
    engine.close();
    store.close();
  }

  private void step() {
    clock.advance(Duration.ofMinutes(2));
    engine.evaluate();
    for (String r : engine.receivers().keySet()) {
      engine.deliverDue(r);
    }
  }

  @Test
  void webhookIsSignedAndCarriesTheIdempotencyKey() throws Exception {
    wm.stubFor(post("/hook").withHeader("Content-Type", matching("application/json.*"))
        .withHeader(WebhookReceiver.IDEMPOTENCY_HEADER, matching("n:hook:.+"))
        .withHeader(WebhookReceiver.SIGNATURE_HEADER, matching("sha256=[0-9a-f]{64}"))
        .withRequestBody(matchingJsonPath("$.version", equalTo("4")))
        .withRequestBody(matchingJsonPath("$.alerts[0].labels.alertname", equalTo("HookOnly")))
        .willReturn(aResponse().withStatus(200)));
    engine.raise("HookOnly", "warning", Map.of(), "hello");
    step();
    List<LoggedRequest> reqs = wm.findAll(postRequestedFor(urlEqualTo("/hook")));
    assertThat(reqs).hasSize(1);
    LoggedRequest r = reqs.get(0);
    String expected = "sha256=" + WebhookReceiver.sign("hook-s3cret",
        r.getHeader(WebhookReceiver.TIMESTAMP_HEADER) + "." + r.getBodyAsString());
    assertThat(r.getHeader(WebhookReceiver.SIGNATURE_HEADER)).isEqualTo(expected);
    assertThat(engine.notifications(10)).singleElement().satisfies(d -> assertThat(d.status()).isEqualTo(Job.DONE));
  }

  @Test
  void vendorsGetTheirShapesOnFiringAndOnResolve() {
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
    // Slack incoming webhook, Block Kit
    wm.stubFor(post("/services/T000/B000/slackkey123")
        .withRequestBody(matchingJsonPath("$.text"))
        .withRequestBody(matchingJsonPath("$.blocks[0].type", equalTo("header")))
        .withRequestBody(matchingJsonPath("$.blocks[0].text.type", equalTo("plain_text")))
        .withRequestBody(matchingJsonPath("$.blocks[1].type", equalTo("section")))
        .withRequestBody(matchingJsonPath("$.blocks[1].text.type", equalTo("mrkdwn")))
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    // Teams Workflows: a message with one Adaptive Card attachment
    wm.stubFor(post(urlEqualTo("/workflows/run?sig=teamssig456"))
        .withRequestBody(matchingJsonPath("$.type", equalTo("message")))
        .withRequestBody(matchingJsonPath("$.attachments[0].contentType", equalTo("application/vnd.microsoft.card.adaptive")))
        .withRequestBody(matchingJsonPath("$.attachments[0].content.type", equalTo("AdaptiveCard")))
        .withRequestBody(matchingJsonPath("$.attachments[0].content.version", equalTo("1.4")))
        .withRequestBody(matchingJsonPath("$.attachments[0].content.body[0].type", equalTo("TextBlock")))
        .willReturn(aResponse().withStatus(202)));
    // GitHub REST: look for an open issue of the group, create, comment, close
    wm.stubFor(get(urlPathEqualTo("/gh/repos/acme/erp/issues")).withQueryParam("state", equalTo("open"))
        .withQueryParam("labels", matching("vigil-fp-[0-9a-f]{16}")).withHeader("Authorization", equalTo("Bearer ghp_token789"))
        .willReturn(aResponse().withStatus(200).withBody("[]")));
    wm.stubFor(post("/gh/repos/acme/erp/issues").withHeader("Authorization", equalTo("Bearer ghp_token789"))
        .withHeader("Accept", equalTo("application/vnd.github+json"))
        .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
        .withRequestBody(matchingJsonPath("$.title"))
        .withRequestBody(matchingJsonPath("$.body"))
        .withRequestBody(matchingJsonPath("$.labels[0]", equalTo("vigil")))
        .withRequestBody(matchingJsonPath("$.labels[1]", matching("vigil-fp-[0-9a-f]{16}")))
        .willReturn(aResponse().withStatus(201).withBody("{\"number\": 42}")));
    wm.stubFor(post("/gh/repos/acme/erp/issues/42/comments").withHeader("Authorization", equalTo("Bearer ghp_token789"))
        .withRequestBody(matchingJsonPath("$.body")).willReturn(aResponse().withStatus(201).withBody("{}")));
    wm.stubFor(patch(urlEqualTo("/gh/repos/acme/erp/issues/42"))
        .withRequestBody(equalToJson("{\"state\": \"closed\", \"state_reason\": \"completed\"}"))
        .willReturn(aResponse().withStatus(200).withBody("{}")));
    // JIRA REST v2: search the group's unresolved issue, create, comment, transitions
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("ops@example.com:jira-token-000".getBytes());
    wm.stubFor(get(urlPathEqualTo("/jira/rest/api/2/search")).withHeader("Authorization", equalTo(basic))
        .withQueryParam("jql", matching("project = \"OPS\" AND labels = \"vigil-fp-[0-9a-f]{16}\" AND statusCategory != Done.*"))
        .willReturn(aResponse().withStatus(200).withBody("{\"issues\": []}")));
    wm.stubFor(post("/jira/rest/api/2/issue").withHeader("Authorization", equalTo(basic))
        .withRequestBody(matchingJsonPath("$.fields.project.key", equalTo("OPS")))
        .withRequestBody(matchingJsonPath("$.fields.issuetype.name", equalTo("Bug")))
        .withRequestBody(matchingJsonPath("$.fields.summary"))
        .withRequestBody(matchingJsonPath("$.fields.labels[2]", matching("vigil-fp-[0-9a-f]{16}")))
        .willReturn(aResponse().withStatus(201).withBody("{\"id\": \"10001\", \"key\": \"OPS-7\"}")));
    wm.stubFor(post("/jira/rest/api/2/issue/OPS-7/comment").withRequestBody(matchingJsonPath("$.body"))
        .willReturn(aResponse().withStatus(201).withBody("{}")));
    wm.stubFor(get("/jira/rest/api/2/issue/OPS-7/transitions").willReturn(aResponse().withStatus(200)
        .withBody("{\"transitions\": [{\"id\": \"11\", \"name\": \"In Progress\"}, {\"id\": \"31\", \"name\": \"Done\"}]}")));
    wm.stubFor(post("/jira/rest/api/2/issue/OPS-7/transitions")
        .withRequestBody(equalToJson("{\"transition\": {\"id\": \"31\"}}")).willReturn(aResponse().withStatus(204)));
    // Confluence: look the week's page up, create it, then a new version
    wm.stubFor(get(urlPathEqualTo("/wiki/rest/api/content")).withQueryParam("spaceKey", equalTo("OPS"))
        .withQueryParam("title", equalTo("Vigil weekly report 2026-W10")).inScenario("wiki").whenScenarioStateIs("Started")
        .willReturn(aResponse().withStatus(200).withBody("{\"results\": []}")));
    wm.stubFor(post("/wiki/rest/api/content").withHeader("Authorization", equalTo(basic))
        .withRequestBody(matchingJsonPath("$.type", equalTo("page")))
        .withRequestBody(matchingJsonPath("$.space.key", equalTo("OPS")))
        .withRequestBody(matchingJsonPath("$.body.storage.representation", equalTo("storage")))
        .inScenario("wiki").willSetStateTo("created")
        .willReturn(aResponse().withStatus(200).withBody("{\"id\": \"555\"}")));
    wm.stubFor(get(urlPathEqualTo("/wiki/rest/api/content")).inScenario("wiki").whenScenarioStateIs("created")
        .willReturn(aResponse().withStatus(200).withBody("{\"results\": [{\"id\": \"555\", \"version\": {\"number\": 1},"
            + " \"body\": {\"storage\": {\"value\": \"<h2>Incidents</h2><table><tbody><tr><td>x</td></tr></tbody></table>"
            + "<!-- vigil-sections --><h2>Checks</h2><p>stale</p>\"}}}]}")));
    wm.stubFor(put("/wiki/rest/api/content/555").withRequestBody(matchingJsonPath("$.version.number", equalTo("2")))
        .withRequestBody(matchingJsonPath("$.body.storage.value",
            matching("(?s)(?!.*stale).*resolved.*</tbody></table><!-- vigil-sections --><h2>Checks</h2><p>fresh</p>")))
        .willReturn(aResponse().withStatus(200).withBody("{}")));

    engine.report().add("Checks", (from, to) -> ReportTable.note("fresh"));
    engine.raise("ToAll", "critical", Map.of("service", "erp"), "ERP is down");
    step();
    engine.resolve("ToAll");
    step();
    List<AlertEngine.Delivery> log = engine.notifications(50);
    assertThat(log).as(log.toString()).hasSize(12).allSatisfy(d -> assertThat(d.status()).isEqualTo(Job.DONE));
    wm.verify(1, postRequestedFor(urlEqualTo("/gh/repos/acme/erp/issues")));
    wm.verify(1, com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlEqualTo("/gh/repos/acme/erp/issues/42")));
    wm.verify(1, postRequestedFor(urlEqualTo("/jira/rest/api/2/issue/OPS-7/transitions")));
    wm.verify(1, com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/wiki/rest/api/content/555")));
    wm.verify(2, postRequestedFor(urlEqualTo("/services/T000/B000/slackkey123")));
    wm.verify(2, postRequestedFor(urlEqualTo("/workflows/run?sig=teamssig456")));
  }

  @Test
  void unauthorizedIsPermanentAndSecretsStayOutOfTheLog() {
    wm.stubFor(post("/services/T000/B000/slackkey123").willReturn(aResponse().withStatus(403).withBody("invalid_token")));
    wm.stubFor(post(urlEqualTo("/workflows/run?sig=teamssig456")).willReturn(aResponse().withStatus(401)));
    wm.stubFor(get(urlPathEqualTo("/gh/repos/acme/erp/issues")).willReturn(aResponse().withStatus(401)
        .withBody("{\"message\":\"Bad credentials\"}")));
    wm.stubFor(get(urlPathEqualTo("/jira/rest/api/2/search")).willReturn(aResponse().withStatus(401)));
    wm.stubFor(get(urlPathEqualTo("/wiki/rest/api/content")).willReturn(aResponse().withStatus(401)));
    wm.stubFor(post("/hook").willReturn(aResponse().withStatus(401)));
    engine.raise("ToAll", "critical", Map.of(), "ERP is down");
    step();
    step();
    List<AlertEngine.Delivery> log = engine.notifications(50);
    assertThat(log).hasSize(6).allSatisfy(d -> {
      assertThat(d.status()).isEqualTo(Job.DEAD);
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.lastError()).contains("HTTP 40").contains("check the receiver's credentials");
    });
    String all = log.toString();
    assertThat(all).doesNotContain("slackkey123", "teamssig456", "ghp_token789", "jira-token-000", "hook-s3cret");
  }
}
