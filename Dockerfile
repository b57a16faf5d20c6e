# syntax=docker/dockerfile:1
# The operator image: built with the .NET SDK, run on the chiseled (distroless) ASP.NET Core runtime image,
# which has no shell and no package manager and runs as the non-root user "app" (UID 1654).
#   docker build -t ghcr.io/celery-operator/celery-operator:0.1.0 .
# Framework-dependent rather than Native AOT: KubernetesClient and the operator's CRD/schema generator use
# reflection-based serialization, which AOT and trimming do not support (docs/installation.md has the figures).
#
# Both base images are pinned by digest (the multi-platform index, so --platform builds still pick their
# architecture): a rebuild gets exactly the bytes that were reviewed, and a changed base image arrives as a
# reviewable change to this file (.github/dependabot.yml proposes one when the tag moves). The tag before the
# digest says which release line the digest belongs to; docs/installation.md says how to refresh them by hand.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5 AS build
ARG TARGETARCH
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Restore first, from the project files only, so the package layer is reused while sources change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Operator/Operator.csproj Operator/
COPY Operator.Primitives/Operator.Primitives.csproj Operator.Primitives/
RUN dotnet restore Operator/Operator.csproj -a "$TARGETARCH" -p:PublishReadyToRun=true
COPY Operator/ Operator/
COPY Operator.Primitives/ Operator.Primitives/
# ReadyToRun: precompiled code for the operator and its libraries, so start-up does not wait on the JIT
# (docs/benchmarks.md: about 4,000 fewer methods compiled before /readyz).
RUN dotnet publish Operator/Operator.csproj -c Release -a "$TARGETARCH" --no-restore --self-contained false \
      -p:UseAppHost=true -p:DebugType=none -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled@sha256:48e51f2f6798897be7ac4e775c049ed8fe60d3190f637e1f9c9dc7513efa659c AS runtime
LABEL org.opencontainers.image.title="celery-operator" \
      org.opencontainers.image.description="A Kubernetes operator that runs Celery workers, beat and Flower." \
      org.opencontainers.image.source="https://github.com/celery-operator/celery-operator" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build --chown=root:root --chmod=0555 /app ./
# The GC mode and tiering settings travel in the app's runtimeconfig (Operator.csproj). Kestrel listens on
# Operator:ProbePort (8081, plain HTTP probes) and Operator:Metrics:Port (8443, HTTPS metrics).
# Numeric, so the kubelet can check runAsNonRoot without reading /etc/passwd.
USER 1654:1654
EXPOSE 8081 8443
ENTRYPOINT ["/app/celery-operator"]
