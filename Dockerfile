# satflow image for docker-compose.yml: the CLI with Mesa (EGL, llvmpipe) and tcmalloc.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp install -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends libegl1 libgl1-mesa-dri libtcmalloc-minimal4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /root/.m2/repository /root/.m2/repository
COPY --from=build /src /opt/satflow
WORKDIR /opt/satflow
ENTRYPOINT ["/opt/satflow/satflow"]
