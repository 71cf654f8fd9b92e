#include "sandboxcommand.h"

#include "commandline.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace {

QString tr(const char *s) { return QCoreApplication::translate("SandboxCommand", s); }

std::atomic_bool g_stop{false};
extern "C" void onSignal(int) { g_stop = true; } // only a flag: the event loop notices it

/// A key for this run only: random, so that nothing real is ever mistaken for it.
QString randomHex(int bytes)
{
    QString out;
    for (int i = 0; i < bytes; ++i)
        out += QString::number(QRandomGenerator::system()->bounded(256) | 0x100, 16).right(2);
    return out;
}

} // namespace

int runSandboxCommand(const QStringList &arguments)
{
    using CommandLine::fail;
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Runs local emulations of the platforms' APIs on 127.0.0.1 until interrupted, "
                                        "for rehearsals and tests. Prints each one's base URL and key."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("sandbox"), tr("The sub-command."));
    const QCommandLineOption port(QStringLiteral("port"), tr("The first port (the next platforms take the following ones); 0 takes free ports."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"), tr("demo: an audience with contacts in every status; empty: no contacts."),
                                  QStringLiteral("demo|empty"), QStringLiteral("demo"));
    const QCommandLineOption contacts(QStringLiteral("contacts"), tr("Contacts in the demo audience."), QStringLiteral("N"),
                                      QStringLiteral("2500"));
    const QCommandLineOption faults(QStringLiteral("faults"), tr("Share of requests (0 to 1) answered with 429, 503, a bare 403, "
                                                                 "no answer or a cut body."),
                                    QStringLiteral("RATE"), QStringLiteral("0"));
    parser.addOptions({port, seed, contacts, faults});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), 2);
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1)
        return fail(tr("usage: stagecoach sandbox [--port N] [--seed demo|empty] [--contacts N] [--faults RATE]"), 2);
    bool ok = false;
    const uint firstPort = parser.value(port).toUInt(&ok);
    if (!ok || firstPort > 65535)
        return fail(tr("--port must be a port number (0 for free ports)."), 2);
    const QString seedKind = parser.value(seed);
    if (seedKind != u"demo" && seedKind != u"empty")
        return fail(tr("--seed must be demo or empty."), 2);
    const int contactCount = parser.value(contacts).toInt(&ok);
    if (!ok || contactCount < 0 || contactCount > 1000000)
        return fail(tr("--contacts must be a number from 0 to 1000000."), 2);
    const double faultRate = parser.value(faults).toDouble(&ok);
    if (!ok || !(faultRate >= 0 && faultRate <= 1)) // also refuses "nan"
        return fail(tr("--faults must be a share from 0 to 1, e.g. 0.1."), 2);

    SandboxFaults injected;
    injected.rate = faultRate;
    injected.seed = QRandomGenerator::system()->generate();
    injected.kinds = SandboxFaults::TooManyRequests | SandboxFaults::Unavailable | SandboxFaults::BareForbidden
        | SandboxFaults::Stall | SandboxFaults::TruncatedBody;

    // Mailchimp: the key names its data center after the dash (esp-apis §1.1).
    MailchimpSandbox mailchimp(randomHex(16) + QStringLiteral("-us21"));
    const QString audience = seedKind == u"demo" ? mailchimp.seedDemo(contactCount) : mailchimp.seedEmpty();
    SandboxServer mailchimpServer(mailchimp);
    mailchimpServer.setConcurrencyLimit(10); // Mailchimp's limit of simultaneous connections
    mailchimpServer.setFaults(injected);
    if (mailchimpServer.listen(quint16(firstPort)) == 0)
        return fail(tr("the Mailchimp sandbox cannot listen on 127.0.0.1 port %1 (in use?).").arg(firstPort));

    // Brevo: an empty account to migrate to, keys shaped like Brevo's ("xkeysib-...").
    BrevoSandbox brevo(QStringLiteral("xkeysib-") + randomHex(32) + u'-' + randomHex(8));
    brevo.seedEmpty();
    SandboxServer brevoServer(brevo);
    brevoServer.setFaults(injected);
    if (brevoServer.listen(firstPort == 0 ? 0 : quint16(firstPort + 1)) == 0)
        return fail(tr("the Brevo sandbox cannot listen on 127.0.0.1 port %1 (in use?).").arg(firstPort + 1));

    // Klaviyo: an empty account; private keys start "pk_".
    KlaviyoSandbox klaviyo(QStringLiteral("pk_") + randomHex(17));
    klaviyo.seedEmpty();
    SandboxServer klaviyoServer(klaviyo);
    klaviyoServer.setFaults(injected);
    if (klaviyoServer.listen(firstPort == 0 ? 0 : quint16(firstPort + 2)) == 0)
        return fail(tr("the Klaviyo sandbox cannot listen on 127.0.0.1 port %1 (in use?).").arg(firstPort + 2));

    QTextStream out(stdout);
    out << "mailchimp " << mailchimpServer.baseUrl().toString() << "/3.0 key " << mailchimp.apiKey() << " audience "
        << audience << Qt::endl;
    out << "brevo " << brevoServer.baseUrl().toString() << "/v3 key " << brevo.apiKey() << Qt::endl;
    out << "klaviyo " << klaviyoServer.baseUrl().toString() << "/api key " << klaviyo.apiKey() << Qt::endl;
    out << tr("Running until interrupted (Ctrl+C).") << Qt::endl;

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer watch;
    QObject::connect(&watch, &QTimer::timeout, qApp, [] {
        if (g_stop)
            QCoreApplication::quit();
    });
    watch.start(100);
    return QCoreApplication::exec();
}
