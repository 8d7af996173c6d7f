# Grader image (completed by the container issue). BASE_IMAGE: a Node 20 Debian image.
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}
WORKDIR /opt/rlhw
COPY package.json package-lock.json ./
RUN npm ci --omit=optional --no-audit --no-fund
COPY . .
CMD ["npm", "test"]
