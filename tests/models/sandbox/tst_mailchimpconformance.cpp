// The Mailchimp sandbox against Mailchimp's OpenAPI document (../shared/specs/mailchimp):
// every operation the connector calls is requested over HTTP and its body is checked, strictly,
// against the response schema the document names for that path and method. A property, type or
// enum value the document does not have fails the test, so the sandbox cannot drift from it.
#include "mailchimpclient.h"

#include "openapispec.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxserver.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString key = u"0123456789abcdef0123456789abcdef-us21"_s;
const QString specFile
    = QStringLiteral(STAGECOACH_SOURCE_DIR "/../shared/specs/mailchimp/openapi.yaml");
} // namespace

class tst_MailchimpConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void yamlSubset();
    void checkerCatchesDrift();
    void operations_data();
    void operations();
    void errors_data();
    void errors();

private:
    QString hashOfFirst() const
    {
        return MailchimpSandbox::subscriberHash(m_sandbox->list(m_listId)->members.at(0).email);
    }

    OpenApiSpec m_spec;
    std::unique_ptr<MailchimpSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    QNetworkAccessManager m_nam;
    QString m_listId;
};

void tst_MailchimpConformance::initTestCase()
{
    if (!QFile::exists(specFile))
        QSKIP("Mailchimp's OpenAPI document is not here (expected ../shared/specs/mailchimp/"
              "openapi.yaml beside the source tree); the conformance checks need it.");
    QVERIFY2(m_spec.load(specFile), qPrintable(m_spec.error()));

    // Four known faults of the document (openapi-generator's conversion of Mailchimp's spec),
    // corrected here and nowhere else:
    // 1. The single-member operations and the collection's items name List_Members_2, which is
    //    the collection itself (a name collision); the member schema is List_Members, the one
    //    Batch_update_List_members uses.
    QJsonObject collection = m_spec.schema(u"List_Members_2"_s);
    QJsonObject collectionProps = collection.value(u"properties"_s).toObject();
    QJsonObject membersProp = collectionProps.value(u"members"_s).toObject();
    if (membersProp.value(u"items"_s)
            .toObject()
            .value(u"$ref"_s)
            .toString()
            .endsWith(u"/List_Members_2")) {
        membersProp.insert(u"items"_s,
                           QJsonObject{{u"$ref"_s, u"#/components/schemas/List_Members"_s}});
        collectionProps.insert(u"members"_s, membersProp);
        collection.insert(u"properties"_s, collectionProps);
        m_spec.setSchema(u"List_Members_2"_s, collection);
    }
    // 2. Members read back as "archived", which the member schema's status enum lacks; the
    //    status filter of GET /lists/{list_id}/members lists it, so that enum is taken.
    QJsonArray statusFilter;
    for (const QJsonValue &p : m_spec.operation(u"/lists/{list_id}/members"_s, u"get"_s)
                                   .value(u"parameters"_s)
                                   .toArray()) {
        if (p.toObject().value(u"name"_s) == u"status"_s)
            statusFilter = p.toObject().value(u"schema"_s).toObject().value(u"enum"_s).toArray();
    }
    QVERIFY(statusFilter.contains(u"archived"_s));
    QJsonObject member = m_spec.schema(u"List_Members"_s);
    QJsonObject memberProps = member.value(u"properties"_s).toObject();
    QJsonObject status = memberProps.value(u"status"_s).toObject();
    status.insert(u"enum"_s, statusFilter);
    memberProps.insert(u"status"_s, status);
    member.insert(u"properties"_s, memberProps);
    m_spec.setSchema(u"List_Members"_s, member);
    // 3. Merge values are typed "object"; text merge fields are strings (FNAME, esp-apis.md §1.3),
    //    so the values may be any JSON type, in answers and in request bodies.
    for (const QString &name :
         {u"List_Members"_s, u"Add_List_Members"_s, u"Add_List_Members_2"_s}) {
        QJsonObject schema = m_spec.schema(name);
        QJsonObject props = schema.value(u"properties"_s).toObject();
        QJsonObject merge = props.value(u"merge_fields"_s).toObject();
        QVERIFY2(merge.contains(u"additionalProperties"_s), qPrintable(name));
        merge.insert(u"additionalProperties"_s, true);
        props.insert(u"merge_fields"_s, merge);
        schema.insert(u"properties"_s, props);
        m_spec.setSchema(name, schema);
    }

    // 4. Template_Default_Content.sections has the same fault: each section's default content
    //    is typed "object", while the document's own example gives a string ("key": "{}") and
    //    Mailchimp answers with the section's HTML as text.
    {
        QJsonObject schema = m_spec.schema(u"Template_Default_Content"_s);
        QJsonObject props = schema.value(u"properties"_s).toObject();
        QJsonObject sections = props.value(u"sections"_s).toObject();
        QVERIFY(sections.contains(u"additionalProperties"_s));
        sections.insert(u"additionalProperties"_s, true);
        props.insert(u"sections"_s, sections);
        schema.insert(u"properties"_s, props);
        m_spec.setSchema(u"Template_Default_Content"_s, schema);
    }

    m_sandbox = std::make_unique<MailchimpSandbox>(key);
    m_listId = m_sandbox->seedDemo(30); // every status, tags, consent data
    m_sandbox->seedEmpty();
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
}

void tst_MailchimpConformance::yamlSubset()
{
    QString error;
    const QJsonObject o
        = OpenApiSpec::parseYaml(
              "a:\n  b: 'it''s'\n  c: \"x\\\n    \\ y\"\n  list:\n  - 1\n  - k: true\n    m: null\n"
              "  folded: one\n    two\n  empty: []\nz: 2.5\n",
              &error)
              .toObject();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonObject a = o.value(u"a"_s).toObject();
    QCOMPARE(a.value(u"b"_s).toString(), u"it's"_s);
    QCOMPARE(a.value(u"c"_s).toString(), u"x y"_s);
    QCOMPARE(a.value(u"list"_s).toArray().size(), 2);
    QCOMPARE(a.value(u"list"_s).toArray().at(0).toDouble(), 1.0);
    QCOMPARE(a.value(u"list"_s).toArray().at(1).toObject().value(u"k"_s).toBool(), true);
    QVERIFY(a.value(u"list"_s).toArray().at(1).toObject().value(u"m"_s).isNull());
    QCOMPARE(a.value(u"folded"_s).toString(), u"one two"_s);
    QVERIFY(a.value(u"empty"_s).isArray());
    QCOMPARE(o.value(u"z"_s).toDouble(), 2.5);

    OpenApiSpec::parseYaml("a: &anchor 1\n", &error);
    QVERIFY(!error.isEmpty());
    OpenApiSpec::parseYaml("a:\n  b: 1\n c: 2\n", &error);
    QVERIFY(!error.isEmpty());
    OpenApiSpec::parseYaml("a: [1, 2]\n", &error);
    QVERIFY(!error.isEmpty());

    // The real document: the operations the connector needs are there.
    QCOMPARE(m_spec.root().value(u"info"_s).toObject().value(u"version"_s).toString(), u"3.0.55"_s);
    QCOMPARE(m_spec.operation(u"/ping"_s, u"get"_s).value(u"operationId"_s).toString(),
             u"getPing"_s);
    // Nothing dropped: as many paths as the text has lines "  /..." (161 in 3.0.55).
    QFile file(specFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    int pathLines = 0;
    while (!file.atEnd())
        pathLines += file.readLine().startsWith("  /");
    QVERIFY(pathLines > 100);
    QCOMPARE(m_spec.root().value(u"paths"_s).toObject().size(), pathLines);
    QCOMPARE(m_spec.schema(u"Problem_Detail_Document"_s).value(u"required"_s).toArray(),
             (QJsonArray{u"detail"_s, u"instance"_s, u"status"_s, u"title"_s, u"type"_s}));
}

void tst_MailchimpConformance::checkerCatchesDrift()
{
    // The checker must be able to fail: each of these changes to a real answer is caught.
    const HttpResult r = call(m_nam, m_server->baseUrl(), "GET",
                              u"/3.0/lists/%1/members?count=2"_s.arg(m_listId), key);
    QJsonObject good = r.json();
    QVERIFY(m_spec.validate(good, u"List_Members_2"_s).isEmpty());

    const auto firstMember = [](QJsonObject page, const auto &change) {
        QJsonArray members = page.value(u"members"_s).toArray();
        QJsonObject m = members.at(0).toObject();
        change(m);
        members.replace(0, m);
        page.insert(u"members"_s, members);
        return page;
    };
    QJsonObject bad = good;
    bad.insert(u"total_items"_s, u"2"_s);
    QVERIFY(!m_spec.validate(bad, u"List_Members_2"_s).isEmpty());
    QVERIFY(
        !m_spec
             .validate(firstMember(good, [](QJsonObject &m) { m.insert(u"opt_in_ip"_s, u"x"_s); }),
                       u"List_Members_2"_s)
             .isEmpty());
    QVERIFY(!m_spec
                 .validate(
                     firstMember(good, [](QJsonObject &m) { m.insert(u"status"_s, u"deleted"_s); }),
                     u"List_Members_2"_s)
                 .isEmpty());
    QVERIFY(
        !m_spec
             .validate(firstMember(good, [](QJsonObject &m) { m.insert(u"member_rating"_s, 2.5); }),
                       u"List_Members_2"_s)
             .isEmpty());
    QJsonObject problem{
        {u"type"_s, u"t"_s}, {u"title"_s, u"x"_s}, {u"status"_s, 401}, {u"instance"_s, u"i"_s}};
    QVERIFY(!m_spec.validate(problem, u"Problem_Detail_Document"_s).isEmpty()); // detail missing
}

void tst_MailchimpConformance::operations_data()
{
    QTest::addColumn<QString>("specPath");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("documentSchema"); // what the document names for the 200 answer
    QTest::addColumn<QString>("checkSchema");    // what the answer is checked against
    QTest::addColumn<QString>("requestPath");
    QTest::addColumn<QStringList>("queryParameters"); // the sandbox's; must be the document's
    QTest::addColumn<QJsonObject>("body");

    const QString list = u"/3.0/lists/"_s + m_listId;
    QTest::newRow("getPing") << u"/ping"_s << u"get"_s << u"API_health_status"_s
                             << u"API_health_status"_s << u"/3.0/ping"_s << QStringList()
                             << QJsonObject();
    QTest::newRow("getLists") << u"/lists"_s << u"get"_s << u"Subscriber_Lists"_s
                              << u"Subscriber_Lists"_s << u"/3.0/lists?count=5&offset=0"_s
                              << QStringList{u"count"_s, u"offset"_s} << QJsonObject();
    QTest::newRow("getListsId") << u"/lists/{list_id}"_s << u"get"_s << u"Subscriber_List"_s
                                << u"Subscriber_List"_s << list << QStringList() << QJsonObject();
    QTest::newRow("getListsIdMergeFields")
        << u"/lists/{list_id}/merge-fields"_s << u"get"_s << u"Collection_of_Merge_Fields"_s
        << u"Collection_of_Merge_Fields"_s << list + u"/merge-fields?count=100"_s
        << QStringList{u"count"_s, u"offset"_s} << QJsonObject();
    QTest::newRow("getListsIdMembers")
        << u"/lists/{list_id}/members"_s << u"get"_s << u"List_Members_2"_s << u"List_Members_2"_s
        << list + u"/members?count=1000&offset=0"_s
        << QStringList{u"count"_s, u"offset"_s, u"status"_s, u"since_last_changed"_s}
        << QJsonObject();
    QTest::newRow("getListsIdMembers archived")
        << u"/lists/{list_id}/members"_s << u"get"_s << u"List_Members_2"_s << u"List_Members_2"_s
        << list + u"/members?status=archived"_s << QStringList{u"status"_s} << QJsonObject();
    QTest::newRow("getListsIdMembersId")
        << u"/lists/{list_id}/members/{subscriber_hash}"_s << u"get"_s << u"List_Members_2"_s
        << u"List_Members"_s << list + u"/members/"_s + hashOfFirst() << QStringList()
        << QJsonObject();
    const QString email = u"conformance@example.com"_s;
    QTest::newRow("putListsIdMembersId")
        << u"/lists/{list_id}/members/{subscriber_hash}"_s << u"put"_s << u"List_Members_2"_s
        << u"List_Members"_s << list + u"/members/"_s + MailchimpSandbox::subscriberHash(email)
        << QStringList()
        << QJsonObject{{u"email_address"_s, email},
                       {u"status_if_new"_s, u"subscribed"_s},
                       {u"merge_fields"_s, QJsonObject{{u"FNAME"_s, u"Con"_s}}}};
    QJsonArray batch;
    for (const QString &e : {u"batch-a@example.com"_s, u"batch-b@example.com"_s, u"bad@"_s})
        batch.append(QJsonObject{{u"email_address"_s, e}, {u"status"_s, u"subscribed"_s}});
    batch.append(QJsonObject{{u"email_address"_s, m_sandbox->list(m_listId)->members.at(1).email},
                             {u"status"_s, u"unsubscribed"_s}});
    QTest::newRow("postListsId") << u"/lists/{list_id}"_s << u"post"_s
                                 << u"Batch_update_List_members"_s << u"Batch_update_List_members"_s
                                 << list << QStringList()
                                 << QJsonObject{{u"members"_s, batch},
                                                {u"update_existing"_s, false}};

    // The rest of what the Mailchimp connector calls (models/connectors/mailchimp/).
    const auto row = [](const char *name, const QString &specPath, const QString &method,
                        const QString &schema, const QString &requestPath,
                        const QStringList &query = {}, const QJsonObject &body = {}) {
        QTest::newRow(name) << specPath << method << schema << schema << requestPath << query
                            << body;
    };
    row("getRoot", u"/"_s, u"get"_s, u"API_Root"_s, u"/3.0/"_s);
    row("postLists", u"/lists"_s, u"post"_s, u"Subscriber_List"_s, u"/3.0/lists"_s, {},
        QJsonObject{{u"name"_s, u"Conformance"_s},
                    {u"contact"_s, QJsonObject{{u"company"_s, u"Example"_s},
                                               {u"address1"_s, u"1 Example Street"_s},
                                               {u"city"_s, u"London"_s},
                                               {u"country"_s, u"GB"_s}}},
                    {u"permission_reminder"_s, u"You signed up."_s},
                    {u"campaign_defaults"_s, QJsonObject{{u"from_name"_s, u"Example"_s},
                                                         {u"from_email"_s, u"a@example.com"_s},
                                                         {u"subject"_s, QString()},
                                                         {u"language"_s, u"en"_s}}},
                    {u"email_type_option"_s, false},
                    {u"double_optin"_s, false}});
    row("postListsIdMergeFields", u"/lists/{list_id}/merge-fields"_s, u"post"_s,
        u"Merge_Field"_s, list + u"/merge-fields"_s, {},
        QJsonObject{{u"tag"_s, u"SRCSTATUS"_s},
                    {u"name"_s, u"SRCSTATUS"_s},
                    {u"type"_s, u"text"_s},
                    {u"required"_s, false},
                    {u"public"_s, false}});
    row("getListsIdAbuseReports", u"/lists/{list_id}/abuse-reports"_s, u"get"_s,
        u"Abuse_Complaints"_s, list + u"/abuse-reports?count=1000&offset=0"_s,
        {u"count"_s, u"offset"_s});
    row("searchTagsByName", u"/lists/{list_id}/tag-search"_s, u"get"_s,
        u"Tag_search_results"_s, list + u"/tag-search?name=New"_s, {u"name"_s});
    row("previewASegment", u"/lists/{list_id}/segments"_s, u"get"_s,
        u"Collection_of_Segments"_s, list + u"/segments?type=static&count=1000&offset=0"_s,
        {u"type"_s, u"count"_s, u"offset"_s});
    row("getTemplates", u"/templates"_s, u"get"_s, u"Templates"_s,
        u"/3.0/templates?type=user&count=1000&offset=0"_s,
        {u"type"_s, u"count"_s, u"offset"_s});
    const QString templatePath
        = u"/3.0/templates/"_s + QString::number(m_sandbox->templates().at(0).id);
    row("getTemplatesId", u"/templates/{template_id}"_s, u"get"_s, u"Template_Instance"_s,
        templatePath);
    row("getTemplatesIdDefaultContent", u"/templates/{template_id}/default-content"_s,
        u"get"_s, u"Template_Default_Content"_s, templatePath + u"/default-content"_s);
    row("postTemplates", u"/templates"_s, u"post"_s, u"Template_Instance"_s,
        u"/3.0/templates"_s, {},
        QJsonObject{{u"name"_s, u"Conformance"_s}, {u"html"_s, u"<p>Hi</p>"_s}});
    row("getCampaigns since_send_time", u"/campaigns"_s, u"get"_s,
        u"getCampaigns_200_response"_s,
        u"/3.0/campaigns?since_send_time=2020-01-01T00%3A00%3A00%2B00%3A00&count=1000"_s,
        {u"since_send_time"_s, u"count"_s});
    row("getCampaigns since_create_time", u"/campaigns"_s, u"get"_s,
        u"getCampaigns_200_response"_s,
        u"/3.0/campaigns?since_create_time=2020-01-01T00%3A00%3A00%2B00%3A00&offset=0"_s,
        {u"since_create_time"_s, u"offset"_s});
    row("getReports", u"/reports"_s, u"get"_s, u"Campaign_Reports_1"_s,
        u"/3.0/reports?since_send_time=2020-01-01T00%3A00%3A00%2B00%3A00&count=1000"_s,
        {u"since_send_time"_s, u"count"_s});
    row("getReportsId", u"/reports/{campaign_id}"_s, u"get"_s, u"Campaign_Report"_s,
        u"/3.0/reports/"_s + m_sandbox->campaigns().at(0).id);
    row("getAutomations", u"/automations"_s, u"get"_s, u"getAutomations_200_response"_s,
        u"/3.0/automations?count=1000&offset=0"_s, {u"count"_s, u"offset"_s});
    row("getVerifiedDomains", u"/verified-domains"_s, u"get"_s, u"Verified_Domains_1"_s,
        u"/3.0/verified-domains"_s);
    row("getConnectedSites", u"/connected-sites"_s, u"get"_s, u"Connected_Sites"_s,
        u"/3.0/connected-sites?count=1000&offset=0"_s, {u"count"_s, u"offset"_s});
    row("getEcommerceStores", u"/ecommerce/stores"_s, u"get"_s, u"E_commerce_Stores"_s,
        u"/3.0/ecommerce/stores?count=1000&offset=0"_s, {u"count"_s, u"offset"_s});
    // Tags are written as static segments: created empty, then filled.
    row("createSegment", u"/lists/{list_id}/segments"_s, u"post"_s, u"List_7"_s,
        list + u"/segments"_s, {},
        QJsonObject{{u"name"_s, u"Conformance"_s}, {u"static_segment"_s, QJsonArray()}});
    row("batchSegmentMembers", u"/lists/{list_id}/segments/{segment_id}"_s, u"post"_s,
        u"Batch_add_remove_List_members_to_from_static_segment"_s,
        list + u"/segments/1"_s, {},
        QJsonObject{{u"members_to_add"_s,
                     QJsonArray{m_sandbox->list(m_listId)->members.at(1).email,
                                u"not-a-member@example.com"_s}}});
    // The connector's second request for members that already exist: no status, fields only.
    row("postListsId update_existing without status", u"/lists/{list_id}"_s, u"post"_s,
        u"Batch_update_List_members"_s, list, {},
        QJsonObject{{u"members"_s,
                     QJsonArray{QJsonObject{
                         {u"email_address"_s, m_sandbox->list(m_listId)->members.at(0).email},
                         {u"merge_fields"_s, QJsonObject{{u"FNAME"_s, u"Ada"_s}}},
                         {u"language"_s, u"fr"_s}}}},
                    {u"update_existing"_s, true}});
}

void tst_MailchimpConformance::operations()
{
    QFETCH(QString, specPath);
    QFETCH(QString, method);
    QFETCH(QString, documentSchema);
    QFETCH(QString, checkSchema);
    QFETCH(QString, requestPath);
    QFETCH(QStringList, queryParameters);
    QFETCH(QJsonObject, body);

    const QJsonObject operation = m_spec.operation(specPath, method);
    QVERIFY2(!operation.isEmpty(), "the document has no such path and method");
    QCOMPARE(m_spec.responseSchemaName(specPath, method, u"200"_s), documentSchema);
    QStringList documented;
    for (const QJsonValue &p : operation.value(u"parameters"_s).toArray()) {
        if (p.toObject().value(u"in"_s) == u"query"_s)
            documented.append(p.toObject().value(u"name"_s).toString());
    }
    for (const QString &parameter : std::as_const(queryParameters))
        QVERIFY2(documented.contains(parameter), qPrintable(parameter));
    if (!body.isEmpty()) {
        const QString requestSchema = operation.value(u"requestBody"_s)
                                          .toObject()
                                          .value(u"content"_s)
                                          .toObject()
                                          .value(u"application/json"_s)
                                          .toObject()
                                          .value(u"schema"_s)
                                          .toObject()
                                          .value(u"$ref"_s)
                                          .toString()
                                          .section(u'/', -1);
        const QStringList requestErrors = m_spec.validate(body, requestSchema);
        QVERIFY2(requestErrors.isEmpty(), qPrintable(requestErrors.join(u'\n')));
    }

    const HttpResult r
        = call(m_nam, m_server->baseUrl(), method.toUpper().toLatin1(), requestPath, key, body);
    QCOMPARE(r.status, 200);
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    const QStringList violations = m_spec.validate(doc.object(), checkSchema);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.mid(0, 10).join(u'\n')));
}

void tst_MailchimpConformance::errors_data()
{
    QTest::addColumn<QString>("specPath");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("requestPath");
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<int>("status");
    const QString list = u"/3.0/lists/"_s + m_listId;
    QTest::newRow("401 no key") << u"/ping"_s << u"get"_s << u"/3.0/ping"_s << QString() << 401;
    QTest::newRow("401 wrong data center")
        << u"/lists/{list_id}/members"_s << u"get"_s << list + u"/members"_s
        << u"0123456789abcdef0123456789abcdef-us6"_s << 401;
    QTest::newRow("404 list") << u"/lists/{list_id}"_s << u"get"_s << u"/3.0/lists/missing"_s << key
                              << 404;
    QTest::newRow("400 count") << u"/lists/{list_id}/members"_s << u"get"_s
                               << list + u"/members?count=5000"_s << key << 400;
}

void tst_MailchimpConformance::errors()
{
    QFETCH(QString, specPath);
    QFETCH(QString, method);
    QFETCH(QString, requestPath);
    QFETCH(QString, apiKey);
    QFETCH(int, status);
    QCOMPARE(
        m_spec.responseSchemaName(specPath, method, u"default"_s, u"application/problem+json"_s),
        u"Problem_Detail_Document"_s);
    const HttpResult r
        = call(m_nam, m_server->baseUrl(), method.toUpper().toLatin1(), requestPath, apiKey);
    QCOMPARE(r.status, status);
    QVERIFY(r.contentType.startsWith("application/problem+json"));
    const QStringList violations = m_spec.validate(r.json(), u"Problem_Detail_Document"_s);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(u'\n')));

    // The injected faults that carry a body use the same shape.
    SandboxFaults faults;
    faults.rate = 1.0;
    faults.kinds = SandboxFaults::TooManyRequests | SandboxFaults::Unavailable;
    m_server->setFaults(faults);
    const HttpResult injected = call(m_nam, m_server->baseUrl(), "GET", u"/3.0/ping"_s, key);
    m_server->setFaults({});
    QVERIFY(injected.status == 429 || injected.status == 503);
    QVERIFY(m_spec.validate(injected.json(), u"Problem_Detail_Document"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_MailchimpConformance)
#include "tst_mailchimpconformance.moc"
