#include "sandboxcommand.h"

#include "commandline.h"
#include "sandbox/sandboxhost.h"

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

    SandboxHostOptions options;
    options.firstPort = quint16(firstPort);
    options.demoSeed = seedKind == u"demo";
    options.contacts = contactCount;
    options.faults.rate = faultRate;
    options.faults.seed = QRandomGenerator::system()->generate();
    options.faults.kinds = SandboxFaults::TooManyRequests | SandboxFaults::Unavailable | SandboxFaults::BareForbidden
        | SandboxFaults::Stall | SandboxFaults::TruncatedBody;
    SandboxHost host;
    const Result<QList<SandboxEndpoint>> started = host.start(options);
    if (!started)
        return fail(started.error().message);

    QTextStream out(stdout);
    for (const SandboxEndpoint &e : started.value()) {
        out << TargetPlatforms::key(e.platform) << ' ' << e.apiRoot.toString() << " key " << e.apiKey;
        if (!e.audienceId.isEmpty())
            out << " audience " << e.audienceId;
        out << Qt::endl;
    }
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
